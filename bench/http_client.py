"""A minimal HTTP/1.1 client on asyncio streams for the benchmarks: keep-alive, JSON, little CPU.

The load generators share the two cores with the server they measure, so they must cost as little
as they can: no thread per client, no library stack per request.
"""
import asyncio
import json


class Connection:
    """One keep-alive connection; reconnects when the server closes it (`flask run` closes each)."""

    def __init__(self, host, port, headers=None):
        self.host, self.port = host, port
        self.headers = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
        self.reader = self.writer = None

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        return self

    def close(self):
        if self.writer is not None:
            self.writer.close()

    async def request(self, method, path, data):
        """Send `data` as JSON; returns (status, body bytes). Raises OSError and the like on failure."""
        if self.writer is None:
            await self.open()
        body = json.dumps(data).encode()
        self.writer.write(f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\n{self.headers}"
                          f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
        try:
            status = int((await self.reader.readline()).split()[1])
            length, closing = 0, False
            while (line := await self.reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"connection" and value.strip().lower() == b"close":
                    closing = True
            text = await self.reader.readexactly(length)
        except (IndexError, ValueError, asyncio.IncompleteReadError) as error:
            self.close()
            self.writer = None
            raise OSError(f"a broken answer: {error!r}") from error
        if closing:
            self.close()
            self.writer = None
        return status, text
