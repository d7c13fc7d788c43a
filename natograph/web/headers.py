"""What every response of the server carries, errors and static files included: a strict
Content-Security-Policy (no inline script or style, nothing from another origin, no frames, no
plugins), ``X-Content-Type-Options: nosniff``, a ``Referrer-Policy``, and a ``Cache-Control``
(``no-store`` unless the route gave its own); and the one place where an unexpected exception becomes
a one-line 500 and one line in the log, never a traceback (a failed start-up too: one line)."""

from __future__ import annotations

import logging

from starlette.requests import ClientDisconnect

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
SECURITY = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-frame-options": "DENY",
}
_SECURITY = [(name.encode(), value.encode()) for name, value in SECURITY.items()]
_NAMES = {name.encode() for name in SECURITY}
_log = logging.getLogger("uvicorn.error")


class Guard:
    """ASGI middleware, the outermost of the app's: the headers above on every response; an exception
    that reaches it is a 500 with a one-line body and one line in the log."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, _one_line_failures(send))
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def guarded(message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in _NAMES]
                if not any(k.lower() == b"cache-control" for k, _ in headers):
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers + _SECURITY}
            await send(message)

        try:
            await self.app(scope, receive, guarded)
        except ClientDisconnect:  # the client went away (or was cut off) mid-request: nobody to answer
            return
        except Exception as exc:  # a bug: one line in the log, one line to the client
            detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
            _log.error("natograph: internal error on %s %s: %s", scope.get("method"), scope.get("path"), detail)
            if not started:
                body = b"internal error; the server's log says more\n"
                await guarded({"type": "http.response.start", "status": 500, "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]})
                await guarded({"type": "http.response.body", "body": body})


def _one_line_failures(send):
    """A lifespan's ``send`` whose start-up or shut-down failure (Starlette sends its traceback, which
    uvicorn logs) is the failure's last line."""
    async def sent(message) -> None:
        if message["type"] in ("lifespan.startup.failed", "lifespan.shutdown.failed"):
            lines = [line for line in message.get("message", "").splitlines() if line.strip()]
            message = {**message, "message": "natograph: " + (lines[-1].strip() if lines else "failed")}
        await send(message)

    return sent
