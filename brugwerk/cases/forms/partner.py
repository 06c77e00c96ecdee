"""Forms of the partner pages."""
