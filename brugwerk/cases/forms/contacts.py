"""Forms of the contacts pages."""
