"""Course views: catalog.py (home, catalog, search, categories) and study.py (course, lessons)."""
