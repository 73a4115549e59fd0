"""`python -m spinecare.rasa_entry ARGS`: Rasa's own command line, made safe to run for a clinic.

Used for both `rasa run` and `rasa run actions` (spinecare.devserver starts both this
way). Before handing over to Rasa's CLI it:

- installs the log redaction of `spinecare.logsafety`, so neither Rasa, rasa-sdk,
  Sanic nor socket.io can write a patient's message to a log;
- turns Rasa's telemetry and error reporting off (unless RASA_TELEMETRY_ENABLED is
  set explicitly): error reports would carry exception details off the machine;
- checks each action-server answer against a JSON schema validated once, not on
  every call (`spinecare.schema_check`: a third of the CPU per message);
- puts the action server's shared secret in the environment, because
  endpoints.yml reads it as `${SPINECARE_ACTION_SERVER_SECRET}` (a development
  secret from var/ on loopback when none is configured).
"""

from __future__ import annotations

import dataclasses
import os
import sys

from spinecare import keys, logsafety, schema_check, settings


def prepare_environment(conf: settings.Settings, args: list[str]) -> None:
    """Environment Rasa needs from our settings; raises keys.SecretError when unsafe."""
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    if args[:2] == ["run", "actions"]:
        # The action server listens where SANIC_HOST says (rasa-sdk's default: every
        # address); a development secret is only acceptable on loopback.
        bind = os.environ.get("SANIC_HOST", "0.0.0.0")  # noqa: S104
        keys.action_server_secret(dataclasses.replace(conf, actions_host=bind))
    else:
        os.environ["SPINECARE_ACTION_SERVER_SECRET"] = keys.action_server_secret(conf)


def main(argv: list[str] | None = None) -> None:
    logsafety.install()
    schema_check.install()
    args = sys.argv[1:] if argv is None else argv
    try:
        prepare_environment(settings.load(), args)
    except keys.SecretError as error:
        raise SystemExit(f"spinecare: not starting: {error}") from None
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *args]
    rasa_main()


if __name__ == "__main__":
    main()
