"""A real OpenID Connect provider for the sign-in tests: oidc-provider-mock on a loopback port.

The provider runs as its own process (`python -m oidc_provider_mock`), offline. It knows the
people given to it (their claims: email, name, groups); a client registers with the app's
redirect URI; at the provider's authorize page a person is chosen by typing their subject.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from browser_app import (
    RUN_TIMEOUT_MS,
    Server,
    free_port,
    stop_process_group,
    wait_for_run,
    wait_until_answered,
)
from playwright.sync_api import Page

CALLBACK = "/oauth2callback"  # Streamlit's redirect path, the one registered with the provider


@dataclass
class Provider:
    """A running oidc-provider-mock: its issuer URL, process and log file."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def metadata_url(self) -> str:
        """The discovery document's URL, Streamlit's server_metadata_url."""
        return self.url + "/.well-known/openid-configuration"

    def stop(self) -> None:
        """Stop the provider's process group: SIGTERM, then SIGKILL after a bounded wait."""
        stop_process_group(self.process)


def start_provider(log: Path, people: list[dict[str, object]]) -> Provider:
    """Start the provider on a free loopback port, knowing people (claims with a "sub"), and
    requiring clients to register; wait until its discovery document answers."""
    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "oidc_provider_mock",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--require-registration=true",
    ]
    for person in people:
        argv += ["--user-claims", json.dumps(person)]
    with log.open("wb") as out:
        process = subprocess.Popen(
            argv, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    provider = Provider(url=f"http://127.0.0.1:{port}", process=process, log=log)
    wait_until_answered(process, provider.metadata_url, "the provider", log)
    return provider


def register_client(provider: Provider, redirect_uri: str) -> tuple[str, str]:
    """Register a client for redirect_uri (dynamic registration): its id and secret."""
    request = urllib.request.Request(
        provider.url + "/oauth2/clients",
        data=json.dumps({"redirect_uris": [redirect_uri]}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        client = json.load(answer)
    return client["client_id"], client["client_secret"]


def write_secrets(
    path: Path, provider: Provider, redirect_uri: str, client: tuple[str, str], cookie_secret: str
) -> Path:
    """Write a secrets.toml whose [auth] signs in through provider, as the README shows."""
    client_id, client_secret = client
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "{redirect_uri}"\n'
        f'cookie_secret = "{cookie_secret}"\n'
        f'client_id = "{client_id}"\n'
        f'client_secret = "{client_secret}"\n'
        f'server_metadata_url = "{provider.metadata_url}"\n',
        encoding="utf-8",
    )
    return path


def sign_in(page: Page, server: Server, subject: str, path: str = "/") -> None:
    """Open server's path, press the sign-in button, choose subject at the provider's authorize
    page and wait until the app has drawn the page it sends the person back to."""
    page.goto(server.url + path)
    main = page.locator('[data-testid="stMain"]')
    main.locator('[data-testid="stBaseButton-primary"]').first.click()
    page.get_by_placeholder("sub").fill(subject)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(server.url + "/**", timeout=RUN_TIMEOUT_MS)
    page.locator('[data-testid="stMain"]').first.wait_for(timeout=RUN_TIMEOUT_MS)
    wait_for_run(page)
