"""Audit of authentication events (wired in AccountsConfig.ready)."""
