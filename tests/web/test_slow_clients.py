"""A client that sends its request a byte a second (slowloris) or not at all is cut off after
``--header-timeout`` seconds with a 408 (issue 27, finding 5: such sockets stayed open 45 s); a
client that sends its requests whole keeps its connection. Raw sockets on a real server."""

from __future__ import annotations

import socket
import time
from urllib.parse import urlsplit

import pytest

from .conftest import start_server, stop_server

REQUEST = b"GET /queries HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\nUser-Agent: slow\r\n\r\n"


@pytest.fixture(scope="module")
def impatient(_private_cache):
    process, url = start_server("--header-timeout", "2")
    parts = urlsplit(url)
    yield parts.hostname, parts.port
    stop_server(process)
    log = process.stderr.read()
    assert "error" not in log.lower() and "Traceback" not in log, log  # cutting a client off is not an error


def _read_all(sock: socket.socket) -> bytes:
    chunks = []
    while True:
        try:
            chunk = sock.recv(65536)
        except (ConnectionResetError, TimeoutError):
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def test_a_request_sent_a_byte_at_a_time_is_cut_off(impatient):
    sent = 0
    with socket.create_connection(impatient, timeout=30) as sock:
        try:
            for byte in REQUEST:  # 70 bytes, one every 0.2 s: 14 s to send it all
                sock.sendall(bytes([byte]))
                sent += 1
                time.sleep(0.2)
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = _read_all(sock)
    assert answer.startswith(b"HTTP/1.1 408 "), answer[:200]
    assert b"--header-timeout" in answer
    assert sent < len(REQUEST), "the server waited for the whole slow request"


def test_a_connection_that_sends_nothing_is_closed(impatient):
    with socket.create_connection(impatient, timeout=30) as sock:
        answer = _read_all(sock)  # returns when the server closes: within --header-timeout, not 30 s
    assert answer.startswith(b"HTTP/1.1 408 ")


def test_a_slow_body_is_cut_off_too(impatient):
    head = (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 60\r\n\r\n")
    with socket.create_connection(impatient, timeout=30) as sock:
        sock.sendall(head)
        sent = 0
        try:
            for _ in range(60):
                sock.sendall(b" ")
                sent += 1
                time.sleep(0.2)
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = _read_all(sock)
    # cut off: the 408 when the client reads it before the connection is reset under its bytes
    assert answer.startswith(b"HTTP/1.1 408 ") or answer == b"", answer[:200]
    assert sent < 60, "the server waited for the whole slow body"


def test_a_client_that_sends_whole_requests_keeps_its_connection(impatient):
    with socket.create_connection(impatient, timeout=30) as sock:
        for _ in range(3):  # three requests on one connection, each answered
            sock.sendall(REQUEST)
            answer = b""
            while b"\r\n\r\n" not in answer:
                answer += sock.recv(65536)
            head, _, body = answer.partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 200 "), head
            length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")))
            while len(body) < length:
                body += sock.recv(65536)
            time.sleep(1)  # idle between requests, within the deadline
