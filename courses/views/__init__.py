"""Catalog views: home, catalog, search, categories (the course page is pages.views)."""
