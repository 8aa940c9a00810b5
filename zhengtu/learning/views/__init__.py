"""Pages of the learning app: staff pages under /learning/, the supervisee's under /app/learning/."""
