"""What the Rasa process loads: its REST channel, tracker store, launcher and NLU components."""
