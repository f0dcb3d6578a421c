"""Archivist test suite."""
