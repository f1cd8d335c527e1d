"""The HTTP front: a standard-library ``ThreadingHTTPServer`` that turns each request into a
``Request`` for the sandbox and writes back its ``Response`` (or drops the connection)."""

from __future__ import annotations

import socket
import threading
import uuid
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from ritual_bot.sandbox.api import Drop, Request, Response

Serve = Callable[[Request], Response | Drop]


def make_handler(serve: Serve) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in two writes; without TCP_NODELAY, Nagle's algorithm and
            # the client's delayed ACK hold the body back ~40 ms on every keep-alive request.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        server_version = "GitHub.com"

        def version_string(self) -> str:
            return self.server_version

        def do_GET(self) -> None:
            self._handle()

        def do_POST(self) -> None:
            self._handle()

        def do_PATCH(self) -> None:
            self._handle()

        def do_PUT(self) -> None:
            self._handle()

        def do_DELETE(self) -> None:
            self._handle()

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the sandbox keeps its own request log."""

        def _handle(self) -> None:
            request = self._request()
            result = serve(request)
            if isinstance(result, Drop):
                self.close_connection = True
                return
            self._write(result)

        def _request(self) -> Request:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length > 0 else b""
            parts = urlsplit(self.path)
            pairs = tuple(parse_qsl(parts.query, keep_blank_values=True))
            return Request(
                method=self.command,
                path=parts.path,
                query=dict(pairs),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
                query_pairs=pairs,
                request_id=uuid.uuid4().hex[:20].upper(),
            )

        def _write(self, response: Response) -> None:
            payload = response.payload()
            self.send_response(response.status, HTTPStatus(response.status).phrase)
            if payload or response.status not in (204, 304):
                self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in response.headers.items():
                if name.lower() != "content-length":
                    self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        def send_response(self, code: int, message: str | None = None) -> None:
            """Like the base class, but the Date header comes from the sandbox clock."""
            self.log_request(code)
            self.send_response_only(code, message)
            self.send_header("Server", self.version_string())

    return Handler


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def start(serve: Serve, host: str, port: int) -> tuple[SandboxServer, threading.Thread]:
    server = SandboxServer((host, port), make_handler(serve))
    # A short poll interval keeps shutdown() quick (it waits for the serving loop to notice).
    thread = threading.Thread(
        target=server.serve_forever, args=(0.02,), name="ritual-bot-sandbox", daemon=True
    )
    thread.start()
    return server, thread


def stop(server: SandboxServer, thread: threading.Thread) -> None:
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
