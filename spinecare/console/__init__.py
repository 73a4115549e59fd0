"""The consultants' web console for MRI review and callback requests.

Why a web console next to the `spinecare` CLI: consultants work from a browser,
not a terminal, and need to find a request, read it, record that they called,
export or delete a person's data, and see when a notification failed. It runs as
its own process (`python -m spinecare.console`), bound to loopback by default,
so the chat servers never expose patient data and the console can sit behind
its own TLS proxy and access rules.
"""
