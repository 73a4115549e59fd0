"""Alembic migrations; a package only so that a wheel install ships env.py and versions/."""
