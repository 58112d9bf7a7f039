"""A lean HTTP/1.1 keep-alive client for load tests on loopback.

On a 2-core machine the load client shares the CPU with the server it measures. A
general client (httpx) spends about a millisecond of Python per request building,
encoding and parsing; this one sends requests built in advance as bytes and reads
only the status line and the body length, so nearly all the CPU goes to the server.
It speaks just enough HTTP for our server's answers (Content-Length bodies).
"""

from __future__ import annotations

import asyncio
import time
from urllib.parse import urlencode


def post(host: str, path: str, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> bytes:
    """A complete POST request as bytes."""
    lines = [f"POST {path} HTTP/1.1", f"Host: {host}", f"Content-Type: {content_type}",
             f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def post_form(host: str, path: str, form: dict[str, str], headers: dict[str, str] | None = None) -> bytes:
    """A form-encoded POST, as Twilio sends its webhooks."""
    return post(host, path, urlencode(form).encode(), "application/x-www-form-urlencoded", headers)


def get(host: str, path: str) -> bytes:
    """A GET request as bytes."""
    return f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()


#: A connection idle this long is replaced before use: uvicorn closes idle ones after 5 s, and a
#: request must never race the server closing its connection.
IDLE_SECONDS = 3.0


class Connection:
    """One keep-alive connection, opened again after an error, a `Connection: close` or a long idle time."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._last_used = 0.0

    async def send(self, request: bytes) -> int:
        """Send one request and return the response's status code (its body is read and dropped)."""
        if self._writer is not None and time.monotonic() - self._last_used > IDLE_SECONDS:
            self.close()
        if self._writer is None or self._writer.is_closing():
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        self._writer.write(request)
        try:
            head = await self._reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            self.close()
            raise ConnectionError("the server closed the connection without answering") from None
        status = int(head[9:12])
        fields = dict(line.partition(b":")[::2] for line in head.split(b"\r\n")[1:] if line)
        fields = {name.strip().lower(): value.strip().lower() for name, value in fields.items()}
        length = int(fields.get(b"content-length", b"0"))
        if length:
            await self._reader.readexactly(length)
        if fields.get(b"connection") == b"close":
            self.close()
        self._last_used = time.monotonic()
        return status

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None
