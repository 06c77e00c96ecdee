"""Reads of casework for the handover pages."""
