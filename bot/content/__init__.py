"""Content editors' tools: checks, authoring, publishing and the unanswered-questions inbox."""
