"""SpineCare intake assistant: the logic that does not need Rasa.

Rasa-facing code (custom actions, NLU components) lives in `actions/` and
`addons/` and calls into this package, so the rules that matter to patients
and consultants are testable without starting a Rasa server.
"""
