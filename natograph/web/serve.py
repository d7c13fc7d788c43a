"""``natograph serve``: run the app under uvicorn and print the address once it listens."""

from __future__ import annotations

import dataclasses
import socket
import sys

from .settings import Settings


def serve(*, host: str = "127.0.0.1", port: int = 8000, timeout: float = 30.0, max_rows: int = 10_000,
          workers: int | None = None, memory_triples: int | None = None) -> int:
    import uvicorn

    from .app import make_app

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say they are TCP. Without it,
    # a response written in two parts (headers, body) waits for the client's delayed ACK (40 ms) on
    # every request of a kept-alive connection.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        sys.stderr.write(f"natograph: error: cannot listen on {host}:{port}: {exc.strerror or exc}\n")
        return 2
    port = sock.getsockname()[1]
    settings = Settings(host=host, port=port, timeout=timeout, max_rows=max_rows)
    if workers is not None:
        settings = dataclasses.replace(settings, workers=workers)
    if memory_triples is not None:
        settings = dataclasses.replace(settings, memory_triples=memory_triples)
    app = make_app(settings)

    class Server(uvicorn.Server):
        async def startup(self, sockets=None) -> None:
            await super().startup(sockets=sockets)
            if not self.should_exit:
                sys.stdout.write(f"natograph serving on {settings.address}/ (SPARQL at {settings.address}/sparql; "
                                 f"timeout {settings.timeout:g} s, max rows {settings.max_rows}, "
                                 f"{settings.workers} query workers)\n")
                sys.stdout.flush()

    config = uvicorn.Config(app, log_level="warning", access_log=False, timeout_graceful_shutdown=5)
    server = Server(config)
    server.run(sockets=[sock])
    return 0
