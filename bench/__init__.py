"""Measurements behind the numbers in the README (`make eval`, `make bench`)."""
