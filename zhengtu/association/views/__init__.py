"""Pages of the association: dashboard, trainings (with public sign-in), members and filings."""
