"""Pages of casework, one module per group of pages; each module holds its own `urlpatterns`."""
