"""The operator commands behind ``python -m warehouse`` (``main`` is in :mod:`warehouse.cli.main`)."""
