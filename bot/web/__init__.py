"""The web gateway: residents' chat API and widget, and the staff console."""
