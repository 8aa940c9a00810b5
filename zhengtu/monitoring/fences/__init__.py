"""Geofences: geometry (shapely), schedules (curfews) and GeoJSON import."""
