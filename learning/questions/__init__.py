"""Questions and answers under lessons: services (writes), selectors (reads), forms, views,
tasks (emails)."""
