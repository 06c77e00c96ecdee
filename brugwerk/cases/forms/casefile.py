"""Forms of the casefile pages."""
