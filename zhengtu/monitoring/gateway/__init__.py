"""The device gateway: TCP and HTTP listeners for the device protocols (see servers.py)."""
