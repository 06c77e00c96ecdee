"""Time use."""
