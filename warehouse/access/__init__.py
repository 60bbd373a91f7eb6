"""Who may see what: keyed hashes of identities, the database roles, the read contract's data dictionary."""
