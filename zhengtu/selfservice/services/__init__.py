"""Writes of the supervisee's app, one module per topic. Each service takes the acting user and checks that the
supervisee's own account acts for themselves (staff act through the staff services)."""
