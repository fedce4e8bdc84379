"""Quizzes: grading (pure), services (start, submit), selectors (the panel, the result, the
gradebook), forms, views and the admin. Models are in learning/models/quizzes.py."""
