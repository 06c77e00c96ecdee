"""Reads of casework for the casefile pages."""
