"""The reverse proxy of docs/deployment.md (issue 20): a real nginx, started on loopback
with the documented HTTPS server block (without its certificate) and security headers
snippet, in front of a real Streamlit server. The headers are there, and Chromium renders
the dashboard through it with no Content-Security-Policy violation."""

from __future__ import annotations

import os
import re
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT

NGINX = Path("/usr/sbin/nginx")
if not NGINX.exists():
    if os.environ.get("CI"):
        raise RuntimeError("nginx is missing on CI: .ci/run must install it")
    pytest.skip("nginx is not installed (apt-get install nginx): the proxy test needs it", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402

from tests.test_browser import _free_port, running, serving  # noqa: E402  (skips without Chromium)
from tests.test_security import SNIPPET, documented_headers  # noqa: E402

DOCUMENTED = "/etc/nginx/snippets/participation-headers.conf"


def nginx_conf(folder: Path, proxy_port: int, app_port: int) -> Path:
    """docs/deployment.md's nginx configuration, on loopback ports, without TLS."""
    block = re.search(r"```nginx\n(.*?)```", (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8"), re.S)
    assert block, "docs/deployment.md has no nginx block"
    lines = [line for line in block.group(1).splitlines() if not line.strip().startswith(("ssl_certificate", "http2 "))]
    server = "\n".join(lines)
    assert DOCUMENTED in server, "the documented server block must include the headers snippet"
    for old, new in (
        ("listen 443 ssl;", f"listen 127.0.0.1:{proxy_port};"),
        ("listen 80;", f"listen 127.0.0.1:{_free_port()};"),
        ("127.0.0.1:8501", f"127.0.0.1:{app_port}"),
        (DOCUMENTED, str(SNIPPET)),
    ):
        assert old in server, old
        server = server.replace(old, new)
    temp = " ".join(
        f"{kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = folder / "nginx.conf"
    conf.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes 1;\ndaemon off;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'};\n"
        + "events { worker_connections 64; }\n"
        + f"http {{\naccess_log off;\n{temp}\n{server}\n}}\n",
        encoding="utf-8",
    )
    return conf


@pytest.fixture(scope="module")
def proxied(demo_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("nginx")
    app_port, proxy_port = _free_port(), _free_port()
    conf = nginx_conf(folder, proxy_port, app_port)
    env = {"ENGAGEMENT_TRUSTED_PROXY": "127.0.0.1"}
    with serving(demo_db, env=env, port=app_port):
        command = [str(NGINX), "-c", str(conf), "-p", str(folder)]
        with running(command, "nginx", f"http://127.0.0.1:{proxy_port}") as url:
            yield url


def test_the_proxy_sends_the_security_headers(proxied):
    expected = documented_headers()
    assert set(expected) == {
        "Content-Security-Policy",
        "Strict-Transport-Security",
        "X-Content-Type-Options",
        "Referrer-Policy",
    }
    csp = expected["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in csp and "object-src 'none'" in csp and "'unsafe-eval'" not in csp
    for path in ("/", "/_stcore/health", "/ville"):
        with urllib.request.urlopen(proxied + path, timeout=10) as response:
            assert response.status == 200
            for name, value in expected.items():
                assert response.headers.get(name) == value, (path, name)


def test_the_dashboard_renders_through_the_proxy_with_no_csp_violation(page, proxied):
    console, violations = [], []
    page.on("console", lambda message: console.append(message.text))
    page.on("pageerror", lambda error: console.append(str(error)))
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sample + ' ' + e.sourceFile + ':' + e.lineNumber));"
    )
    page.goto(proxied)
    expect(page.get_by_role("heading", name="Vue d'ensemble")).to_be_visible(timeout=60_000)
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=60_000)  # plotly draws under the policy
    page.get_by_role("link", name="Ville").first.click()  # a page change over the WebSocket
    expect(page.get_by_role("heading", name="Ville", exact=False).first).to_be_visible(timeout=60_000)
    violations = page.evaluate("window.__csp")  # (each page load starts a new list)
    page.goto(f"{proxied}/?lang=en")  # the other language's script
    expect(page.get_by_role("heading", name="Overview")).to_be_visible(timeout=60_000)
    violations += page.evaluate("window.__csp")
    assert violations == []
    assert not [m for m in console if "Content Security Policy" in m or "Refused to" in m], console
