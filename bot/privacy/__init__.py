"""Residents' data over its life: retention (purge), erasure and subject-access export.

Each store has one module: gateway.py (conversations, cases, inbox, staff sessions, audit),
tracker.py (Rasa's SQL tracker store), backoffice.py (the stub council systems). service.py
runs them together; cli.py is `councilbot privacy`; the staff console's admin page calls
service.py too. The periods are settings (`retention_*` in bot/settings.py).
"""
