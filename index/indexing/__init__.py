"""Indexing runs: the per-article pipeline and the indexer with its worker processes."""
