"""Formats for this language (see portal/formats/__init__.py)."""
