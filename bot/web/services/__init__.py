"""The gateway's business rules; routes call one function here and shape the answer."""
