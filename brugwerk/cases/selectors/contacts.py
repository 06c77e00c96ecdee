"""Reads of casework for the contacts pages."""
