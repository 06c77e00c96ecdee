"""Forms of the agenda pages."""
