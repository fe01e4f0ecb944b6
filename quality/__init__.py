"""Data-quality checks between stages (Great Expectations suites defined in code)."""
