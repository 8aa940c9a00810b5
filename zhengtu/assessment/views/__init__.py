"""Pages of the assessment app, split by topic."""
