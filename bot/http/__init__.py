"""What both FastAPI apps (the gateway and the stub back office) share: errors and the clock."""
