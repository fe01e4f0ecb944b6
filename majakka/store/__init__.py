"""SQL for each table, one module per table; callers pass an open cursor (their transaction)."""
