"""Landing and staging: batches, file drops, and the bulk paths (PostgreSQL COPY) that write them."""
