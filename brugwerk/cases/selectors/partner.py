"""Reads of casework for the partner pages."""
