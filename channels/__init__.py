"""How the outside world reaches the assistant, and only the way we mean it to.

The channels are registered in credentials.yml by module path.

- `socketio`: the chat widget's channel; the server issues signed session ids and
  each socket may only speak for the session it was given (docs/security.md).
- `rest`: the REST channel for back-ends; a bearer token when exposed.
- `common`: what both enforce before a message reaches NLU: length, rate limits.
- `action_server`: the rasa-sdk plugin that makes the action server private
  (shared secret, JSON only) and turns any action's crash into a polite reply.
- `sms` (SMS and WhatsApp through Twilio) and `messenger` (Facebook Messenger), sharing
  `text_common`: the text-messaging channels (docs/channels.md); the logic that needs no
  Rasa is in `spinecare.messaging`.
"""
