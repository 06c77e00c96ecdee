"""Reads of casework for the agenda pages."""
