"""``natograph serve``: open the store (bad input is one line, before anything listens), bind the port,
run the app under uvicorn and print the address once it listens."""

from __future__ import annotations

import socket
import sys

from .settings import Settings


def serve(*, host: str = "127.0.0.1", **limits) -> int:
    """Serve on *host* with *limits* (``Settings`` fields: ``port``, ``timeout``, ``base_url``...),
    each checked against its bounds by ``Settings``; a bad value is a ValueError."""
    import uvicorn

    from ..graph.store.opening import open_engine
    from ..queries.catalogue import catalogue
    from .app import make_app
    from .connections import protocol

    port = limits.pop("port", Settings.port)
    Settings(host=host, port=port, **limits)  # every value checked before the store is opened
    files = limits.get("graph_files")
    engine = open_engine(files)  # a file that cannot be read: one line (InputError), exit 2, nothing started
    catalogue()  # and so is a stored query whose header cannot be read
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
    settings = Settings(host=host, port=sock.getsockname()[1], **limits)
    app = make_app(settings, engine=engine)

    class Server(uvicorn.Server):
        async def startup(self, sockets=None) -> None:
            await super().startup(sockets=sockets)
            if not self.should_exit:
                sys.stdout.write(f"natograph serving on {settings.address}/ (SPARQL at {settings.public}/sparql; "
                                 f"timeout {settings.timeout:g} s, max rows {settings.max_rows}, "
                                 f"{settings.workers} query workers)\n")
                sys.stdout.flush()

    # X-Forwarded-For is believed from a proxy on this machine only (whatever FORWARDED_ALLOW_IPS says):
    # the per-client cap then counts the address the proxy saw.
    config = uvicorn.Config(app, log_level="warning", access_log=False, timeout_graceful_shutdown=5,
                            http=protocol(settings.header_timeout), proxy_headers=True,
                            forwarded_allow_ips="127.0.0.1,::1")
    server = Server(config)
    server.run(sockets=[sock])
    return 0 if server.started else 2  # a start-up that failed said why, in one line
