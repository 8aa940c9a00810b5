"""Writes of the assessment app, split by topic; import from the submodules."""
