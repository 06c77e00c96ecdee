"""Forms of the handover pages."""
