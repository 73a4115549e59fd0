"""Serves the chat page on 127.0.0.1:8080: the page, the rasa-webchat bundle and its config.

Why a tiny standard-library server: the page is three static files plus the
widget bundle that npm installed; it needs no framework. It serves only an
allow-list of paths, so nothing else in the repository is ever exposed.
"""

from __future__ import annotations

import argparse
import json
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from spinecare import settings

WEBCHAT_DIR = settings.PROJECT_ROOT / "webchat"
WIDGET_BUNDLE = WEBCHAT_DIR / "node_modules" / "rasa-webchat" / "lib" / "index.js"

ROUTES: dict[str, tuple[Path, str]] = {
    "/": (WEBCHAT_DIR / "index.html", "text/html; charset=utf-8"),
    "/index.html": (WEBCHAT_DIR / "index.html", "text/html; charset=utf-8"),
    "/static/start.js": (WEBCHAT_DIR / "static" / "start.js", "text/javascript; charset=utf-8"),
    "/static/page.css": (WEBCHAT_DIR / "static" / "page.css", "text/css; charset=utf-8"),
    "/static/webchat.js": (WIDGET_BUNDLE, "text/javascript; charset=utf-8"),
}


class PageHandler(BaseHTTPRequestHandler):
    """Answers GET for the allow-listed files and /config.js; 404 for anything else."""

    server_version = "SpineCarePage"

    def __init__(self, *args, socket_url: str, **kwargs):
        self.socket_url = socket_url
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
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Silence per-request access logs; the page carries no events worth keeping."""


def make_server(host: str, port: int, socket_url: str) -> ThreadingHTTPServer:
    """Build (not start) the page server; tests start it on a port of their own."""
    return ThreadingHTTPServer((host, port), partial(PageHandler, socket_url=socket_url))


def main(argv: list[str] | None = None) -> None:
    conf = settings.load()
    parser = argparse.ArgumentParser(description="Serve the SpineCare chat page.")
    parser.add_argument("--host", default=conf.host)
    parser.add_argument("--port", type=int, default=conf.webchat_port)
    parser.add_argument("--socket-url", default=conf.rasa_url)
    args = parser.parse_args(argv)
    if not WIDGET_BUNDLE.exists():
        raise SystemExit("The chat widget is not installed: run `make run` (it runs npm ci).")
    server = make_server(args.host, args.port, args.socket_url)
    print(f"Chat page on http://{args.host}:{args.port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
