"""Collection: fetch new public posts and comments from pluggable sources (Reddit first)."""
