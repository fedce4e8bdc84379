"""Announcements: staff write to a course's learners; published ones are emailed in batches
(tasks.py) and listed on the study pages (selectors.py)."""
