"""Writes of the inspections app, one module per topic. Every write is atomic and audited."""
