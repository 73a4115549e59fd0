"""The chat page server serves the page, its config and the widget, and nothing else."""

import threading

import httpx
import pytest

from spinecare import webchat


@pytest.fixture
def page_server():
    server = webchat.make_server("127.0.0.1", 0, "http://127.0.0.1:5999")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_page_config_points_the_widget_at_the_rasa_server(page_server):
    config = httpx.get(f"{page_server}/config.js")
    assert config.status_code == 200
    assert '"socketUrl": "http://127.0.0.1:5999"' in config.text


def test_page_embeds_the_npm_widget(page_server):
    page = httpx.get(f"{page_server}/")
    assert page.status_code == 200
    assert "/static/webchat.js" in page.text
    bundle = httpx.get(f"{page_server}/static/webchat.js")
    assert bundle.status_code == 200 and "WebChat" in bundle.text[:2000]
    assert bundle.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", ["/Makefile", "/../config.yml", "/webchat/package.json", "/x"])
def test_anything_else_is_not_found(page_server, path):
    assert httpx.get(f"{page_server}{path}").status_code == 404
