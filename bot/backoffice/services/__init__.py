"""Business rules of the stub back office's systems, one module per system; routes stay thin."""
