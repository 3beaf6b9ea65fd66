"""The web UI and the docs page: packaged files only, nothing fetched at run time.

- `/` and any other path outside /api/ that is not the console, display, static or probes:
  the resident portal (gateway/web/portal/); a path without a file extension falls back
  to the portal's index.html (client-side routes).
- `/console/...`: the staff console (gateway/web/console/), the same fallback.
- `/field/...`: the grid workers' installable field app (gateway/web/field/: its page, Web
  App Manifest and service worker, which must live under /field/ for its scope), the same fallback.
- `/display/<community>`: the hall display page (gateway/web/display/index.html) for one
  of the seven community codes; other files of that folder by name.
- `/static/...`: shared assets (gateway/static/, e.g. Swagger UI).
- `/api/docs`: Swagger UI on the merged document (gateway/static/docs/index.html).
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import posixpath
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from werkzeug.security import safe_join
from werkzeug.utils import send_file
from werkzeug.wrappers import Request, Response

from services.chassis.config import COMMUNITIES

from .problems import EdgeProblem

PACKAGE = Path(__file__).resolve().parent
WEB = PACKAGE / "web"
STATIC = PACKAGE / "static"
DOCS_PAGE = STATIC / "docs" / "index.html"


def _resolve(root: Path, relative: str, spa: bool) -> Path:
    relative = relative.lstrip("/")
    if relative == "" or relative.endswith("/"):
        relative += "index.html"
    joined = safe_join(str(root), relative)
    if joined is not None and _is_file(Path(joined)):
        return Path(joined)
    if spa and "." not in posixpath.basename(relative):
        index = root / "index.html"
        if index.is_file():
            return index
    raise EdgeProblem(404, "There is no page at this address.", type_="not-found")


def _is_file(path: Path) -> bool:
    """Path.is_file, with a name the file system refuses (too long, ...) being no file."""
    try:
        return path.is_file()
    except OSError:
        return False


def locate(path: str) -> Path:
    """The packaged file answering `path` (outside /api/), or a 404 problem."""
    if path == "/api/docs":
        return DOCS_PAGE
    if path.startswith("/static/"):
        return _resolve(STATIC, path[len("/static/") :], spa=False)
    if path == "/console" or path.startswith("/console/"):
        return _resolve(WEB / "console", path[len("/console") :], spa=True)
    if path == "/field" or path.startswith("/field/"):
        return _resolve(WEB / "field", path[len("/field") :], spa=True)
    if path.startswith("/display/"):
        rest = path[len("/display/") :].strip("/")
        if rest in COMMUNITIES:
            return _resolve(WEB / "display", "index.html", spa=False)
        if rest.count("/") == 0 and "." not in rest:
            raise EdgeProblem(404, f"{rest!r} is not a community code.", type_="not-found")
        return _resolve(WEB / "display", rest, spa=False)
    return _resolve(WEB / "portal", path, spa=True)


# Text assets are sent gzip-compressed to browsers that accept it (the field app's first load
# on a phone network); images and fonts are compressed already.
COMPRESSIBLE = {".html", ".js", ".css", ".json", ".svg", ".md", ".map"}
MIMETYPES = {
    ".js": "text/javascript",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".md": "text/markdown",
}


@lru_cache(maxsize=512)
def _gzipped(path: str, mtime_ns: int, size: int) -> tuple[bytes, str]:
    """The gzip encoding of a packaged file and its ETag (cached per file version)."""
    raw = Path(path).read_bytes()
    return gzip.compress(raw, compresslevel=6, mtime=0), hashlib.sha256(raw).hexdigest()[:32] + "-gz"


def _compressed(file: Path, environ: dict[str, Any], max_age: int | None) -> Response | None:
    request = Request(environ)
    if file.suffix not in COMPRESSIBLE or "gzip" not in request.accept_encodings:
        return None
    stat = file.stat()
    body, etag = _gzipped(str(file), stat.st_mtime_ns, stat.st_size)
    mimetype = MIMETYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    response.set_etag(etag)
    response.last_modified = int(stat.st_mtime)
    if max_age is not None:
        response.cache_control.max_age = max_age
        response.cache_control.public = True
    return response.make_conditional(request)


def serve_file(
    file: Path, environ: dict[str, Any], start_response: Any, extra_headers: list[tuple[str, str]]
) -> Iterable[bytes]:
    """Send `file` with conditional-request support (ETag, Last-Modified), gzip when the
    client accepts it, and our headers."""
    is_page = file.suffix == ".html"
    max_age = None if is_page else 300
    response = _compressed(file, environ, max_age) or send_file(
        str(file), environ, conditional=True, etag=True, max_age=max_age
    )
    if is_page:
        response.headers["Cache-Control"] = "no-cache"

    def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        own = [(k, v) for k, v in headers if k.lower() not in ("date", "content-disposition")]
        return start_response(status, [*own, *extra_headers], exc_info)

    return response(environ, start)
