"""Custom actions for the rasa_sdk action server, one package per council service."""
