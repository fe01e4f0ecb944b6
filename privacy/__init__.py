"""Privacy: language ID, personal-data detection and redaction, pseudonyms, encryption."""
