"""Serves the chat page on 127.0.0.1:8080: the page, the rasa-webchat bundle and its config.

Why a tiny standard-library server: the page is three static files plus the
widget bundle that npm installed; it needs no framework. It serves only an
allow-list of paths, so nothing else in the repository is ever exposed.

Why these headers: the widget renders bot messages as markdown without sanitising
links, so the page's Content-Security-Policy is the last line of defence against
script injection: scripts only from this page's own files (no inline script, no
`javascript:` URLs), connections only to the Rasa server, frames only in the
clinic's own site (SPINECARE_FRAME_ANCESTORS). `style-src 'unsafe-inline'` is there
because rasa-webchat injects its stylesheet at run time; styles cannot run code.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from spinecare import logsafety, settings

WEBCHAT_DIR = settings.PROJECT_ROOT / "webchat"
WIDGET_BUNDLE = WEBCHAT_DIR / "node_modules" / "rasa-webchat" / "lib" / "index.js"

ROUTES: dict[str, tuple[Path, str]] = {
    "/": (WEBCHAT_DIR / "index.html", "text/html; charset=utf-8"),
    "/index.html": (WEBCHAT_DIR / "index.html", "text/html; charset=utf-8"),
    "/static/start.js": (WEBCHAT_DIR / "static" / "start.js", "text/javascript; charset=utf-8"),
    "/static/page.css": (WEBCHAT_DIR / "static" / "page.css", "text/css; charset=utf-8"),
    "/static/webchat.js": (WIDGET_BUNDLE, "text/javascript; charset=utf-8"),
}


def security_headers(socket_url: str, frame_ancestors: Sequence[str] = ()) -> dict[str, str]:
    """The headers every response of the page server carries (see the module docstring)."""
    parts = urlsplit(socket_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    socket_origin = f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}"
    ancestors = " ".join(frame_ancestors) if frame_ancestors else "'none'"
    policy = "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            f"connect-src 'self' {origin} {socket_origin}",
            "base-uri 'none'",
            "form-action 'none'",
            "object-src 'none'",
            f"frame-ancestors {ancestors}",
        ]
    )
    headers = {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if not frame_ancestors:
        headers["X-Frame-Options"] = "DENY"
    return headers


class PageHandler(BaseHTTPRequestHandler):
    """Answers GET for the allow-listed files and /config.js; 404 for anything else."""

    server_version = "SpineCarePage"

    def __init__(self, *args, socket_url: str, headers: dict[str, str], **kwargs):
        self.socket_url = socket_url
        self.extra_headers = headers
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/config.js":
            body = f"window.SPINECARE_CONFIG = {json.dumps({'socketUrl': self.socket_url})};\n"
            self._send(HTTPStatus.OK, body.encode(), "text/javascript; charset=utf-8")
            return
        route = ROUTES.get(path)
        if route is None or not route[0].exists():
            self._send(HTTPStatus.NOT_FOUND, b"Not found\n", "text/plain; charset=utf-8")
            return
        self._send(HTTPStatus.OK, route[0].read_bytes(), route[1])

    def _send(self, status: HTTPStatus, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Silence per-request access logs; the page carries no events worth keeping."""


def make_server(
    host: str, port: int, socket_url: str, frame_ancestors: Sequence[str] = ()
) -> ThreadingHTTPServer:
    """Build (not start) the page server; tests start it on a port of their own."""
    headers = security_headers(socket_url, frame_ancestors)
    handler = partial(PageHandler, socket_url=socket_url, headers=headers)
    return ThreadingHTTPServer((host, port), handler)


def main(argv: list[str] | None = None) -> None:
    logsafety.install()
    conf = settings.load()
    parser = argparse.ArgumentParser(description="Serve the SpineCare chat page.")
    parser.add_argument("--host", default=conf.host)
    parser.add_argument("--port", type=int, default=conf.webchat_port)
    parser.add_argument("--socket-url", default=conf.rasa_browser_url)
    args = parser.parse_args(argv)
    if not WIDGET_BUNDLE.exists():
        raise SystemExit("The chat widget is not installed: run `make run` (it runs npm ci).")
    server = make_server(args.host, args.port, args.socket_url, conf.frame_ancestors)
    print(f"Chat page on http://{args.host}:{args.port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
