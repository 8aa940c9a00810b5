"""Building blocks without a domain of their own, shared by several apps.

Not an installed app (no tables, no URLs): `pages` (how a page calls a service and shows its refusal) and
`models` (abstract bases such as the fields of an uploaded file).
"""
