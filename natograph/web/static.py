"""``/static/...``: the pages' CSS, scripts and data, read once when the server starts and served from
memory, each with an ``ETag`` that is the hash of its bytes (the same file, the same tag, whichever
server or start), ``Last-Modified`` and ``Cache-Control``, and 304 to a client that has it. A path
is looked up among the files found at start-up, never joined to a folder: nothing outside it can be
named."""

from __future__ import annotations

import hashlib
import mimetypes
from email.utils import formatdate
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

from .caching import matches

_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
          ".json": "application/json", ".md": "text/markdown; charset=utf-8", ".svg": "image/svg+xml",
          ".txt": "text/plain; charset=utf-8"}


class StaticFiles:
    """The files under *folder*, by their path relative to it."""

    def __init__(self, folder: Path, max_age: int) -> None:
        self.files: dict[str, tuple[bytes, str, str, str]] = {}
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                data = path.read_bytes()
                media = _TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
                modified = formatdate(int(path.stat().st_mtime), usegmt=True)
                self.files[path.relative_to(folder).as_posix()] = (data, media, etag, modified)
        self.cache_control = f"public, max-age={max_age}"

    async def serve(self, request: Request) -> Response:
        found = self.files.get(request.path_params["path"])
        if found is None:
            return Response("no such file\n", 404, media_type="text/plain; charset=utf-8")
        data, media, etag, modified = found
        headers = {"ETag": etag, "Last-Modified": modified, "Cache-Control": self.cache_control}
        wanted = request.headers.get("if-none-match")
        if wanted is not None and matches(wanted, etag):
            return Response(status_code=304, headers=headers)
        return Response(data, media_type=media, headers=headers)
