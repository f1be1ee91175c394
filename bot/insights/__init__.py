"""Service insights: analytics events written as things happen, and the figures read from them.

Events carry ids and categories only, never what anyone typed (docs/insights.md).
"""
