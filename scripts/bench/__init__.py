"""`make bench`: the load test of scripted resident conversations (python -m scripts.bench)."""
