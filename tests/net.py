"""Free loopback ports for servers that tests start."""

from bot.stack import free_port

__all__ = ["free_port"]
