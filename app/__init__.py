"""Majakka core: configuration, database, the pipeline that wires the stages, and the CLI."""
