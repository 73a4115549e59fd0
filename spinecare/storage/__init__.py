"""Storage of MRI review requests: models, migrations and the repository functions.

Why a package of its own: the action server, the `spinecare` CLI and the future
outbox worker all read and write the same rows, and personal health data should
be touched through one small, audited set of functions (`repository`) rather
than ad-hoc queries spread over the code base.
"""

from spinecare.storage.db import make_engine, make_session_factory
from spinecare.storage.schema import migrate

__all__ = ["make_engine", "make_session_factory", "migrate"]
