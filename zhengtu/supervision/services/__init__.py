"""Writes of the supervision workflow, one module per topic. Pages, the API, jobs and demo data call these."""
