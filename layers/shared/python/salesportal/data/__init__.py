"""One repository per table; each owns its key shapes and access patterns."""
