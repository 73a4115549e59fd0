"""Plugins for rasa-sdk's action server, found the only way rasa-sdk 3.6.2 looks for them.

`rasa_sdk.plugin._discover_plugins` imports a top-level package of exactly this name
and calls its `init_hooks(manager)`; it reads no entry points. `rasa run actions`
finds this package because Rasa puts the working directory (the project root) on
sys.path. What the plugin does: `channels.action_server`.
"""

from __future__ import annotations

import pluggy


def init_hooks(manager: pluggy.PluginManager) -> None:
    from channels import action_server

    manager.register(action_server)
