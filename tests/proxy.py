"""A real reverse proxy for tests: Debian's nginx in front of the live server, and HTTP clients
that connect from a chosen loopback address (127.0.0.2, 127.0.0.3... all reach 127.0.0.1)."""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx stopped: {log.read_text() if log.exists() else ''}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("nginx did not start listening")


# The configuration docs/DEPLOY.md recommends, minus TLS.
CONFIG = """
{user}
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://127.0.0.1:{upstream};
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
    }}
}}
"""


class Nginx:
    """nginx on a free port of 127.0.0.1, forwarding to `upstream_port`; stop() ends it."""

    def __init__(self, binary: str, directory: Path, upstream_port: int):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        conf = directory / "nginx.conf"
        conf.write_text(
            CONFIG.format(
                # As root, workers would switch to « nobody », who cannot use the temp folder.
                user="user root;" if os.geteuid() == 0 else "",
                dir=directory,
                port=self.port,
                upstream=upstream_port,
            )
        )
        log = directory / "error.log"
        self.process = subprocess.Popen(
            [binary, "-e", str(log), "-p", str(directory), "-c", str(conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for_port(self.port, self.process, log)
        except Exception:
            self.stop()
            raise

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class _SourceAddressAdapter(HTTPAdapter):
    def __init__(self, source: str, **kwargs):
        self.source = source  # read by init_poolmanager, which HTTPAdapter.__init__ calls
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


def client_from(address: str) -> requests.Session:
    """A browser-like session (cookies kept) whose connections come from `address`."""
    session = requests.Session()
    session.mount("http://", _SourceAddressAdapter(address))
    session.trust_env = False  # never through an HTTP proxy of the environment
    return session
