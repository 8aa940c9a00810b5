"""Writes of the association app, one module per topic: trainings, members, filings."""
