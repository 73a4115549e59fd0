"""The console's pages, one module per area, each declaring its views on a `Views`.

Why split by area: sign-in, the request pages, the audit log and the privacy page
change for different reasons; `spinecare.console.app` registers them all, and the
guarantees every page shares live once in `spinecare.console.context`.
"""
