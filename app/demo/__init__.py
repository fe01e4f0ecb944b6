"""The offline demo: a bundled sample and a local Reddit-compatible API server that PRAW talks to."""
