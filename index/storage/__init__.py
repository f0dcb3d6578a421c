"""The index on disk: Whoosh's segment format, the article store, facet columns, generations, commits."""
