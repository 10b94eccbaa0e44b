"""Wijkimpact core: database access, queries, metrics, figures and formatting."""
