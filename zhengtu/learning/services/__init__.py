"""Writes of the learning app, one module per topic; each audited, one transaction each."""
