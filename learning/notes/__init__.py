"""A learner's private notes and bookmarks: services, selectors, forms, views."""
