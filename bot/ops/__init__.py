"""Launch code: the councilbot command, process supervision, training and the action server."""
