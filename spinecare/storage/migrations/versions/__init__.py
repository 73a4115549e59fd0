"""Alembic revisions (Alembic skips this file when it loads them)."""
