"""HTTP routes of the stub back office, one module per council system."""
