"""Monitoring pages: thin views (validate → call a service or selector → render)."""
