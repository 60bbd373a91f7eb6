"""The pool: what the matcher reads and publishes, golden records, groups, lineage, match runs, rehash."""
