"""Rasa's check of every action-server answer, with its JSON schema checked once.

Rasa 3.6 validates each custom action's response with `jsonschema.validate(result,
schema)` (rasa/core/actions/action.py), and that function first re-checks the schema
itself against the JSON Schema meta-schema on every call: about a third of the Rasa
process's CPU per message, measured by `make profile` (README, issue 13). Here
`jsonschema.validate` checks against a validator built, and its schema checked, once
per distinct schema: the same errors, the same exception type, the same answers
accepted and refused. Rasa imports `validate` inside the function, so replacing the
module attribute before the server starts is enough.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import jsonschema
from jsonschema import exceptions, validators

_original_validate = jsonschema.validate


@functools.lru_cache(maxsize=32)
def _validator_for(schema_json: str) -> Any:
    schema = json.loads(schema_json)
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate(instance: Any, schema: Any, cls: Any = None, *args: Any, **kwargs: Any) -> None:
    """`jsonschema.validate`, with the validator for `schema` built once."""
    if cls is not None or args or kwargs:
        return _original_validate(instance, schema, cls, *args, **kwargs)
    validator = _validator_for(json.dumps(schema, sort_keys=True, default=str))
    error = exceptions.best_match(validator.iter_errors(instance))
    if error is not None:
        raise error
    return None


def install() -> None:
    """Replace `jsonschema.validate` for this process (idempotent)."""
    jsonschema.validate = validate
