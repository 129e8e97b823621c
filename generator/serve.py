"""`jdgen serve`: a live preview of the workspace's pages on 127.0.0.1, loaded again when a file is saved.

The web layer only: routes, the Host check, the event stream and the file watcher. The pages
come from serve_pages, which uses the pipeline's own steps and writes nothing. starlette,
uvicorn and watchfiles come with the extra `jdgen[serve]` and are imported inside the functions
that run the server, so `jdgen --help` and the other commands never load them.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import ipaddress
import logging
import re
import secrets
import socket
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .context import read_context
from .errors import CommandLineError, JdgenError, MissingExtraError
from .options import WorkspaceOptions
from .serve_pages import (
    KINDS,
    MAX_ID_LENGTH,
    DocumentRequest,
    Reply,
    Snapshot,
    not_found_reply,
    problem_lines,
    problems_reply,
)
from .workspace import find_workspace

log = logging.getLogger(__name__)

INSTALL_HINT = "jdgen serve needs jdgen's serve extra: pip install 'jdgen[serve]'"
#: Host names a browser on this machine sends; a request naming any other host is refused (DNS rebinding).
LOCAL_NAMES = ("127.0.0.1", "localhost")
#: Seconds an event stream waits between looks at whether the server is stopping.
WAKE_SECONDS = 0.5
#: Seconds between the comments that keep an idle event stream open through proxies.
HEARTBEAT_SECONDS = 15
#: Editors' swap, backup and lock files: saving them is not a change of the workspace.
_EDITOR_FILES = re.compile(r"^\.#|^#.*#$|~$|\.sw[a-p]x?$|^4913$|\.(tmp|bak|orig|kate-swp)$|^\.goutputstream-")
#: Sent with every page: never cached (the workspace may change any moment), never framed by another site.
_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


@dataclass(frozen=True)
class ServeOptions:
    """What `jdgen serve` should listen on, for which workspace."""

    workspace: WorkspaceOptions
    host: str = "127.0.0.1"
    port: int = 8000  #: 0: any free port


@dataclass(frozen=True)
class Serving:
    """What the command line tells the user once the preview listens."""

    root: Path  #: the workspace previewed
    url: str
    exposed: bool  #: listening on an interface other machines can reach


def require_serve_extra() -> None:
    """Stop with the install hint when a package of the serve extra is missing."""
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
        import watchfiles  # noqa: F401
    except ImportError as err:
        raise MissingExtraError(f"{INSTALL_HINT}; {err}") from err


def serve(options: ServeOptions, on_ready: Callable[[Serving], None]) -> None:
    """Serve the preview until Ctrl-C or SIGTERM; the workspace is only read, nothing is written."""
    require_serve_extra()
    import uvicorn

    context = read_context()
    dirs = find_workspace(options.workspace.workspace, context.cwd, context.workspace_variable)
    # every later load reads this folder, so a jdgen.yaml deleted for a moment shows as a problem
    # instead of the search moving on to another workspace (or the built-in one)
    live = LivePreview(WorkspaceOptions(dirs.root), dirs.root)
    sock = listen(options.host, options.port)
    try:
        address, port = sock.getsockname()[:2]
        app = create_app(live, allowed_hosts(options.host, address))
        config = uvicorn.Config(
            app,
            log_config=None,  # keep jdgen's logging: warnings only, tracebacks with --verbose
            log_level="warning",
            access_log=False,
            lifespan="on",
            http="h11",
            ws="none",
            server_header=False,
            timeout_graceful_shutdown=3,  # open event streams end within WAKE_SECONDS; this is the backstop
        )
        server = uvicorn.Server(config)
        live.stopping = lambda: server.should_exit
        on_ready(Serving(dirs.root, _url(options.host, port), not ipaddress.ip_address(address).is_loopback))
        # uvicorn catches SIGINT and SIGTERM, shuts down, then raises the signal again for jdgen's
        # own handler, which turns it into KeyboardInterrupt: the end of a preview, not a failure
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()


def listen(host: str, port: int) -> socket.socket:
    """Return a socket listening on host:port, or stop with one line saying why it cannot."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (OSError, UnicodeError) as err:
        raise CommandLineError(f"jdgen: --host {host}: not an address this machine can listen on ({err})") from err
    # IPv4 first: `localhost` may resolve to ::1 first, while a browser tries 127.0.0.1
    family, kind, proto, _, address = min(found, key=lambda info: info[0] != socket.AF_INET)
    sock = socket.socket(family, kind, proto)
    try:
        # a restart right after Ctrl-C may bind despite the old connections' TIME_WAIT; on Linux
        # this never lets two servers listen on one port
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as err:
        sock.close()
        if err.errno == errno.EADDRINUSE:
            raise JdgenError(
                f"jdgen: port {port} on {host} is in use; stop what uses it or choose another with --port"
            ) from err
        raise JdgenError(f"jdgen: cannot listen on {host}:{port}: {err.strerror or err}") from err
    return sock


def allowed_hosts(host: str, address: str) -> list[str]:
    """Return the Host header values to accept: this machine's local names, and the host listened on."""
    names = {*LOCAL_NAMES, host, address}
    if ipaddress.ip_address(address).is_unspecified:
        # every interface: the names other machines use to reach this one
        with contextlib.suppress(OSError):
            hostname = socket.gethostname()
            names.add(hostname)
            names.update(str(info[4][0]) for info in socket.getaddrinfo(hostname, None))
    # starlette compares the header up to its first colon, so an IPv6 literal cannot be matched
    return sorted(name for name in names if name and ":" not in name and "*" not in name)


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


class LivePreview:
    """The workspace's change generation, and its snapshot, loaded again on the first request after a change."""

    def __init__(self, options: WorkspaceOptions, root: Path) -> None:
        self.options = options
        self.root = root
        self.generation = 0  #: changed only on the event loop; read by the page threads
        self.stopping: Callable[[], bool] = lambda: False  #: whether the server is shutting down
        self._boot = secrets.token_hex(4)  # a page from an earlier run of the server reloads too
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()
        self._changed = asyncio.Event()

    @property
    def token(self) -> str:
        """Return the name of the workspace's current state, which each page carries."""
        return f"{self._boot}-{self.generation}"

    def snapshot(self) -> Snapshot:
        """Return the workspace as it is now, loading it again if a file changed since the last load."""
        with self._lock:
            token = self.token  # taken before loading: a change during the load makes the next request load again
            if self._snapshot is None or self._snapshot.token != token:
                # the context is read per load, so a preview left open overnight shows the new day's dates
                self._snapshot = Snapshot(self.options, read_context(), token)
            return self._snapshot

    def changed(self) -> None:
        """Note that the workspace changed, and wake every event stream."""
        self.generation += 1
        event, self._changed = self._changed, asyncio.Event()
        event.set()

    async def wait_for_change(self, seconds: float) -> None:
        """Wait until the workspace changes, or `seconds` pass."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), seconds)


async def watch_workspace(live: LivePreview, stop: asyncio.Event) -> None:
    """Count a change generation for each batch of saves in the workspace, until `stop` is set."""
    from watchfiles import DefaultFilter, awatch

    default = DefaultFilter()

    def watched(change: Any, path: str) -> bool:
        # out/ is what `jdgen build` writes; editors' temporary files are not the workspace
        relative = Path(path).relative_to(live.root).parts if Path(path).is_relative_to(live.root) else ()
        if relative[:1] == ("out",) or _EDITOR_FILES.search(Path(path).name):
            return False
        return default(change, path)

    while not stop.is_set():
        try:
            async for _ in awatch(live.root, watch_filter=watched, stop_event=stop):
                live.changed()
        except Exception as err:  # the folder was removed or cannot be watched: try again shortly
            log.warning("jdgen serve: cannot watch %s (%s); trying again", live.root, err)
            live.changed()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 1)


def create_app(live: LivePreview, hosts: list[str]) -> Any:
    """Return the preview's ASGI application: the overview, each role's pages and the change events."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, StreamingResponse
    from starlette.routing import Route

    def respond(reply: Reply) -> HTMLResponse:
        return HTMLResponse(reply.html, reply.status, headers=_HEADERS)

    def overview(request: Request) -> HTMLResponse:
        return respond(answer(live, lambda snapshot: snapshot.overview()))

    def document(request: Request) -> HTMLResponse:
        kind, role = request.path_params["kind"], request.path_params["role"]
        if kind not in KINDS:
            message = f"A role has no page '{kind[:MAX_ID_LENGTH]}'; it has {', '.join(KINDS)}."
            return respond(not_found_reply(message, live.token))
        query = request.query_params
        wanted = DocumentRequest(kind, role, query.get("level") or None, query.get("place") or None)
        return respond(answer(live, lambda snapshot: snapshot.document(wanted)))

    async def events(request: Request) -> StreamingResponse:
        since = request.query_params.get("since", "")
        headers = {**_HEADERS, "X-Accel-Buffering": "no"}
        return StreamingResponse(change_events(live, since), media_type="text/event-stream", headers=headers)

    async def not_found(request: Request, exc: Exception) -> HTMLResponse:
        path = request.url.path
        shown = path if len(path) <= 200 else f"{path[:200]}…"
        return respond(not_found_reply(f"Nothing is at {shown}.", live.token))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        stop = asyncio.Event()
        watcher = asyncio.create_task(watch_workspace(live, stop))
        try:
            yield
        finally:
            stop.set()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(watcher, 5)

    routes = [Route("/", overview), Route("/role/{role}/{kind}", document), Route("/events", events)]
    return Starlette(
        routes=routes,
        middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=hosts, www_redirect=False)],
        exception_handlers={404: not_found},
        lifespan=lifespan,
    )


def answer(live: LivePreview, make: Callable[[Snapshot], Reply]) -> Reply:
    """Return a page made from the current snapshot; any failure is a page that says where, never a traceback."""
    try:
        return make(live.snapshot())
    except JdgenError as err:
        return problems_reply(problem_lines(err), live.token)
    except Exception as err:  # a bug: the page and the log say what; the traceback goes to the log with --verbose
        message = f"jdgen: internal error ({type(err).__name__}: {err}); rerun with --verbose for the traceback"
        log.warning("%s", message)
        log.debug("the page failed", exc_info=True)
        return problems_reply([message], live.token)


async def change_events(live: LivePreview, since: str) -> AsyncIterator[str]:
    """Yield a `change` event whenever the workspace differs from the state `since` the page was made at."""
    yield "retry: 1000\n\n"  # reconnect quickly after a restart of the server
    waited = 0.0
    while not live.stopping():
        if live.token != since:
            since = live.token
            yield f"event: change\ndata: {since}\n\n"
        await live.wait_for_change(WAKE_SECONDS)
        waited += WAKE_SECONDS
        if waited >= HEARTBEAT_SECONDS:
            waited = 0.0
            yield ": still here\n\n"
