"""Forms of the search pages."""
