"""Reads of casework for the search pages."""
