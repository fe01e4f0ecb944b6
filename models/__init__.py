"""Distress scoring: risk levels, the scorer interface and its implementations."""
