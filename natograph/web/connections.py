"""The HTTP connection of ``natograph serve``: uvicorn's h11 protocol with a deadline on the request.

uvicorn closes a kept-alive connection that stays silent (``timeout_keep_alive``), but any byte
cancels that timer, and nothing bounds the time a client takes to send a request: a client sending
its headers a byte a second (slowloris) holds a connection for as long as it likes, and enough of
them hold them all. Here a connection has ``--header-timeout`` seconds, from its opening or from its
previous answer, to deliver a whole request (line, headers and body); past them it is answered
408 and closed. Once the request is in, the deadline no longer applies: the query's own limits do.
"""

from __future__ import annotations

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

_TEXT = b"the request was not received in time (--header-timeout)\n"
_REQUEST_TIMEOUT = (b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
                    b"connection: close\r\ncontent-length: " + str(len(_TEXT)).encode() + b"\r\n\r\n" + _TEXT)


def protocol(header_timeout: float) -> type:
    """uvicorn's h11 protocol class with a deadline of *header_timeout* seconds on each request."""

    class Protocol(_Deadline):
        deadline = header_timeout

    return Protocol


class _Deadline(H11Protocol):
    deadline = 10.0

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._request_timer = None
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._request_timer = self.loop.call_later(self.deadline, self._expired)

    def _disarm(self) -> None:
        timer = getattr(self, "_request_timer", None)
        if timer is not None:
            timer.cancel()
            self._request_timer = None

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is h11.DONE or self.conn.their_state is h11.MUST_CLOSE:
            self._disarm()  # the whole request is in

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()  # the next request on this connection has its own deadline

    def connection_lost(self, exc) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _expired(self) -> None:
        self._request_timer = None
        if self.transport.is_closing() or self.conn.their_state in (h11.DONE, h11.MUST_CLOSE):
            return
        if self.conn.our_state is h11.IDLE:  # nothing answered yet on this request: say why
            self.transport.write(_REQUEST_TIMEOUT)
        self.transport.close()
