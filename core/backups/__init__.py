"""Backups of the database (pgBackRest) and of uploaded files (content-addressed, SHA-256).

Plain modules without Django imports, so deploy/backup's scripts and the tests can use them
without a database.
"""
