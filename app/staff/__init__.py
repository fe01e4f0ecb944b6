"""Staff accounts, teams and sign-in sessions: shared by the review app, the CLI and the retention purge."""
