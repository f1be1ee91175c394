"""The NLU components config.yml names (Rasa imports them by their dotted path)."""
