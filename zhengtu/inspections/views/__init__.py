"""Pages of supervision inspections: rounds and panels, project inspections, the expert pool, rubrics."""
