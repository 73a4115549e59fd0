"""Custom actions served by `rasa run actions`, one module per concern.

Modules: `forms` (how every patient form reads a message while a question is pending),
`intake` (the MRI review request), `handoff` (a person and the call-back request),
`safety` (red flags, the safety screen, urgent signs), `answers` (clinic guidance) and
`resets` (forgetting a form's answers). The rules they apply live in the `spinecare`
package and are tested without Rasa.
"""
