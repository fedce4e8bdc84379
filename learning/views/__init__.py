"""Study views: study.py (enrol, resume, lessons, progress, My learning), files.py (downloads)."""
