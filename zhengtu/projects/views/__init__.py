"""Pages of the projects app, split by topic: projects.py (contract, staff, KPIs), budget.py
(funds, lines, spending, adjustments), reports.py (monthly and annual reports)."""
