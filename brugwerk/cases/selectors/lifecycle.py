"""Reads of casework for the lifecycle pages."""
