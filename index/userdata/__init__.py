"""The user's files: corrections, excerpt baskets and their exports; saved under a lock, atomically."""
