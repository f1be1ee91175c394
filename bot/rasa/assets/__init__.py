"""The pretrained models the NLU pipeline reads: sentence encoders and the spaCy pipeline."""
