"""Searching: the query language compiled to the index's queries, and the searcher."""
