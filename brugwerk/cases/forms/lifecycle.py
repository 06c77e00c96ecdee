"""Forms of the lifecycle pages."""
