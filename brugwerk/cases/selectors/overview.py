"""Reads of casework for the overview pages."""
