"""Archivist's PySide6 desktop front end."""
