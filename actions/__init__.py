"""Custom actions served by `rasa run actions`, one module per concern.

Modules: `answers` (clinic guidance), `safety` (red flags and urgent signs).
The rules they apply live in the `spinecare` package and are tested without Rasa.
"""
