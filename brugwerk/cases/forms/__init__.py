"""Forms of casework, one module per group of pages."""
