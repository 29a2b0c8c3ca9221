"""A polite HTTP fetcher for feeds and article pages.

Polite means: robots.txt obeyed (RFC 9309: a missing file allows all, a server error disallows all),
one request at a time per host spaced by `min_interval` (or the site's Crawl-delay, capped),
conditional GET with the ETag / Last-Modified of the previous answer, timeouts on every operation
and on the whole request (a server dripping one byte a second does not hold us), a byte cap on
the body (checked on Content-Length and while streaming the decoded body), redirects followed by
hand up to `max_redirects` with loops refused, and retries with exponential backoff on timeouts,
connection errors, 429 and 5xx. Addresses in private, loopback, link-local or reserved ranges are
refused unless `allow_private` (tests allow loopback); every redirect hop is checked again.

No DNS rebinding: the host is resolved once, every address it resolves to is checked, and the
connection goes to that checked address (the URL's host is replaced by the IP; the Host header and,
for https, the TLS SNI name and certificate check keep the real name), so a name that answers a
public address to the check and 127.0.0.1 to the connection never reaches 127.0.0.1. IPv6 forms that
carry an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo) are judged by that IPv4 address.

The total deadline runs from the moment the request starts: a watchdog shuts the socket down when
it passes, so a server dripping its headers one byte at a time is cut off as surely as one dripping
its body (httpx's own timeouts are per read, and a byte every few seconds never trips them).
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from marsad import errors
from marsad.errors import InputError
from marsad.ingest.decode import charset_from_content_type
from marsad.ingest.files import content_id
from marsad.ingest.policy import FetchPolicy
from marsad.store.fetch_state import FetchState, MemoryFetchStates

if TYPE_CHECKING:  # httpx (28 MB, 0.1 s) is imported by the first request, not by `marsad ingest FILE`
    import httpx

_REDIRECTS = {301, 302, 303, 307, 308}
_RETRY_STATUS = {429, 500, 502, 503, 504}
ROBOTS_MAX_BYTES = 512_000


class FetchStates(Protocol):
    """Where the validators of the last answer per URL are kept (the store, or memory)."""

    def get(self, url: str) -> FetchState | None: ...

    def put(self, state: FetchState) -> None: ...


class FetchError(InputError):
    """A URL that could not be fetched; the message names the URL and the reason. `status` is
    the HTTP status when the server answered with an error."""

    code = errors.FETCH_FAILED

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None) -> None:
        super().__init__(message, code=code)
        self.status = status


@dataclass(slots=True, frozen=True)
class _Answer:
    status: int
    headers: httpx.Headers
    body: bytes


@dataclass(slots=True, frozen=True)
class FetchResult:
    """One fetched URL: `url` is where the redirects ended, `content` the decoded-transfer body."""

    requested: str
    url: str
    status: int
    content: bytes
    fetched_at: datetime
    content_type: str | None = None
    charset: str | None = None
    not_modified: bool = False
    headers: dict[str, str] = field(default_factory=dict)


def _fail(url: str, reason: str, code: str = errors.FETCH_FAILED, status: int | None = None) -> FetchError:
    return FetchError(f"{url}: {reason}", code=code, status=status)


_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_SITE_LOCAL = ipaddress.ip_network("fec0::/10")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, if it is one of the forms that carry one."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    packed = ip.packed
    if packed[:12] == bytes(12) and int(ip) > 1:  # IPv4-compatible ::a.b.c.d (deprecated)
        return ipaddress.IPv4Address(packed[12:])
    if any(ip in net for net in _NAT64):
        return ipaddress.IPv4Address(packed[12:])
    return None


def ip_allowed(address: str) -> bool:
    """Whether `address` is a public unicast address (IPv6 forms carrying IPv4 judged by that IPv4)."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _SITE_LOCAL:
            return False
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            return embedded.is_global and not embedded.is_multicast
    return ip.is_global and not ip.is_multicast


@dataclass(slots=True, frozen=True)
class _Target:
    """Where one request goes: the checked address to connect to (None: let httpx resolve, when
    private addresses are allowed anyway), and the host name the server must see."""

    url: str
    host: str
    address: str | None

    def request_url(self) -> str:
        if self.address is None:
            return self.url
        parts = urlsplit(self.url)
        literal = f"[{self.address}]" if ":" in self.address else self.address
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return parts._replace(netloc=f"{literal}:{port}").geturl()

    def headers(self) -> dict[str, str]:
        if self.address is None:
            return {}
        parts = urlsplit(self.url)
        default = (parts.scheme == "https" and parts.port in (None, 443)) or (
            parts.scheme == "http" and parts.port in (None, 80)
        )
        return {"Host": self.host if default else f"{self.host}:{parts.port}"}


class _Watchdog:
    """Shuts the request's socket down when the total deadline passes (see the module doc)."""

    def __init__(self, seconds: float) -> None:
        self.fired = False
        self._sock: socket.socket | None = None
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def trace(self, event: str, info: dict[str, Any]) -> None:
        if event == "connection.connect_tcp.complete" and info.get("return_value") is not None:
            self._sock = info["return_value"].get_extra_info("socket")

    def _fire(self) -> None:
        self.fired = True
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


class PoliteFetcher:
    """Fetch URLs under a `FetchPolicy`; use as a context manager or call `close()`.

    `clock` and `sleep` are injectable so that waiting can be observed without real delays.
    """

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        states: FetchStates | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.policy = policy or FetchPolicy()
        self.states: FetchStates = states if states is not None else MemoryFetchStates()
        self._clock = clock
        self._sleep = sleep
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, RobotFileParser | None] = {}
        self._robots_why: dict[str, str] = {}  # origin -> why everything there is disallowed
        self._http: httpx.Client | None = None

    @property
    def _client(self) -> httpx.Client:
        """The HTTP client, made by the first request."""
        if self._http is None:
            import httpx

            self._http = httpx.Client(
                timeout=httpx.Timeout(self.policy.timeout),
                follow_redirects=False,
                headers={"User-Agent": self.policy.user_agent},
                trust_env=False,
                # A fresh connection per request: the watchdog needs the socket of each request, and
                # the address a pooled connection reached was checked for another request.
                limits=httpx.Limits(max_keepalive_connections=0),
            )
        return self._http

    def __enter__(self) -> PoliteFetcher:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._http is not None:
            self._http.close()

    # -- checks ---------------------------------------------------------------------------------

    def _check_url(self, url: str) -> tuple[str, _Target]:
        """(origin, target) of an http(s) URL whose host may be fetched, with the checked address
        to connect to. Raises FetchError, also for a malformed URL or port."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise _fail(url, f"malformed URL: {exc}") from exc
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise _fail(url, "only http:// and https:// URLs can be fetched")
        host = parts.hostname
        origin = f"{parts.scheme}://{parts.netloc}"
        if self.policy.allow_private:
            return origin, _Target(url, host, None)
        try:
            infos = socket.getaddrinfo(
                host, port or (443 if parts.scheme == "https" else 80), type=socket.SOCK_STREAM
            )
        except (OSError, UnicodeError, ValueError) as exc:
            raise _fail(url, f"cannot resolve host {host}: {exc}") from exc
        addresses = [str(info[4][0]) for info in infos]
        for address in addresses:
            if not ip_allowed(address):
                raise _fail(
                    url,
                    f"refused: {host} resolves to the non-public address {address}; to fetch it,"
                    " pass --allow-private (or set allow_private = true under [fetch] in the config)",
                )
        if not addresses:
            raise _fail(url, f"cannot resolve host {host}: no address")
        return origin, _Target(url, host, addresses[0].split("%")[0])

    def _robots_for(self, origin: str, url: str) -> RobotFileParser | None:
        """The parsed robots.txt of `origin`; None when there is none (everything allowed).

        Raises FetchError naming `url` when the server does not answer at all.
        """
        if origin in self._robots:
            return self._robots[origin]
        parser: RobotFileParser | None = RobotFileParser()
        assert parser is not None
        robots_url = f"{origin}/robots.txt"
        try:
            result = self._get(robots_url, {}, max_bytes=ROBOTS_MAX_BYTES, check_robots=False)
            parser.parse(result.content.decode("utf-8", errors="replace").splitlines())
        except FetchError as exc:
            if exc.status is None:
                # No answer at all (refused, reset, timed out): that, not "disallowed by robots.txt".
                reason = str(exc.args[0]).removeprefix(robots_url + ": ")
                raise _fail(url, f"cannot reach {origin}: {reason}") from exc
            if 400 <= exc.status < 500:
                parser = None  # no robots.txt: everything is allowed
            else:
                # RFC 9309: a server error on robots.txt means disallow all, until it answers.
                parser.parse(["User-agent: *", "Disallow: /"])
                self._robots_why[origin] = (
                    f"{robots_url} answered HTTP {exc.status}, which means disallow all"
                )
        self._robots[origin] = parser
        return parser

    def _wait_turn(self, host: str, robots: RobotFileParser | None) -> None:
        interval = self.policy.min_interval
        if robots is not None:
            delay = robots.crawl_delay(self.policy.robots_agent)
            if delay is not None:
                interval = max(interval, min(float(delay), self.policy.max_crawl_delay))
        last = self._last_request.get(host)
        if last is not None:
            wait = interval - (self._clock() - last)
            if wait > 0:
                self._sleep(wait)
        self._last_request[host] = self._clock()

    # -- requests -------------------------------------------------------------------------------

    def _once(self, target: _Target, headers: dict[str, str], max_bytes: int) -> _Answer:
        """One GET to the checked address, the body read under the byte cap, the whole exchange
        (connect, headers, body) under the total deadline."""
        import httpx

        url = target.url
        deadline = self._clock() + self.policy.total_timeout
        watchdog = _Watchdog(self.policy.total_timeout)
        extensions: dict[str, Any] = {"trace": watchdog.trace}
        if target.address is not None and url.lower().startswith("https:"):
            extensions["sni_hostname"] = target.host
        try:
            with self._client.stream(
                "GET", target.request_url(), headers={**headers, **target.headers()}, extensions=extensions
            ) as resp:
                declared = resp.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise _fail(
                        url,
                        f"body of {int(declared):,} bytes is over the {max_bytes:,} byte cap",
                        errors.TOO_LARGE,
                    )
                body = bytearray()
                for chunk in resp.iter_bytes():
                    body.extend(chunk)
                    if len(body) > max_bytes:
                        raise _fail(url, f"body is over the {max_bytes:,} byte cap", errors.TOO_LARGE)
                    if self._clock() > deadline:
                        raise httpx.ReadTimeout(f"body not received within {self.policy.total_timeout:g}s")
                return _Answer(resp.status_code, resp.headers, bytes(body))
        except httpx.TransportError as exc:
            if watchdog.fired:
                raise httpx.ReadTimeout(
                    f"no complete answer within {self.policy.total_timeout:g}s (total deadline)"
                ) from exc
            raise
        finally:
            watchdog.cancel()

    def _with_retries(self, target: _Target, headers: dict[str, str], max_bytes: int) -> _Answer:
        import httpx

        url = target.url
        attempts = self.policy.retries + 1
        for attempt in range(attempts):
            try:
                resp = self._once(target, headers, max_bytes)
            except httpx.TimeoutException as exc:
                if attempt + 1 == attempts:
                    raise _fail(url, f"timed out after {attempts} attempt(s): {exc or 'timeout'}") from exc
                self._sleep(self.policy.backoff * 2**attempt)
                continue
            except httpx.TransportError as exc:
                if attempt + 1 == attempts:
                    raise _fail(url, f"connection failed after {attempts} attempt(s): {exc}") from exc
                self._sleep(self.policy.backoff * 2**attempt)
                continue
            except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError, UnicodeError) as exc:
                raise _fail(url, f"malformed URL: {exc}") from exc
            if resp.status in _RETRY_STATUS and attempt + 1 < attempts:
                retry_after = resp.headers.get("retry-after", "")
                wait = float(retry_after) if retry_after.isdigit() else self.policy.backoff * 2**attempt
                self._sleep(min(wait, self.policy.max_retry_after))
                continue
            return resp
        raise AssertionError("unreachable")  # pragma: no cover

    def _get(
        self, url: str, headers: dict[str, str], *, max_bytes: int, check_robots: bool = True
    ) -> FetchResult:
        seen: set[str] = set()
        current = url
        for _hop in range(self.policy.max_redirects + 1):
            if current in seen:
                raise _fail(url, f"redirect loop at {current}")
            seen.add(current)
            origin, target = self._check_url(current)
            robots = self._robots_for(origin, url) if check_robots and self.policy.respect_robots else None
            if robots is not None and not robots.can_fetch(self.policy.robots_agent, current):
                why = self._robots_why.get(origin, f"disallowed by {origin}/robots.txt")
                raise _fail(url, why)
            self._wait_turn(target.host, robots)
            resp = self._with_retries(target, headers, max_bytes)
            if resp.status in _REDIRECTS and resp.headers.get("location"):
                current = urljoin(current, resp.headers["location"])
                continue
            if resp.status != 304 and not 200 <= resp.status < 300:
                raise _fail(url, f"HTTP status {resp.status}", status=resp.status)
            ctype = resp.headers.get("content-type")
            return FetchResult(
                requested=url,
                url=current,
                status=resp.status,
                content=resp.body if resp.status != 304 else b"",
                fetched_at=datetime.now(UTC),
                content_type=ctype.split(";")[0].strip().lower() if ctype else None,
                charset=charset_from_content_type(ctype),
                not_modified=resp.status == 304,
                headers={
                    k: v for k in ("etag", "last-modified", "date") if (v := resp.headers.get(k)) is not None
                },
            )
        raise _fail(url, f"more than {self.policy.max_redirects} redirects")

    def fetch(self, url: str, *, conditional: bool = True) -> FetchResult:
        """GET `url` politely. With `conditional`, send the validators of the last answer and
        return `not_modified=True` (empty content) on 304.

        Raises FetchError (E108; E103 over the byte cap) naming the URL and the reason.
        """
        headers: dict[str, str] = {}
        previous = self.states.get(url) if conditional else None
        if previous is not None:
            if previous.etag:
                headers["If-None-Match"] = previous.etag
            if previous.last_modified:
                headers["If-Modified-Since"] = previous.last_modified
        result = self._get(url, headers, max_bytes=self.policy.max_bytes)
        if result.not_modified and previous is not None:
            state = FetchState(
                url=url,
                etag=previous.etag,
                last_modified=previous.last_modified,
                status=304,
                fetched_at=result.fetched_at.isoformat(timespec="seconds"),
                content_id=previous.content_id,
            )
        else:
            state = FetchState(
                url=url,
                etag=result.headers.get("etag"),
                last_modified=result.headers.get("last-modified"),
                status=result.status,
                fetched_at=result.fetched_at.isoformat(timespec="seconds"),
                content_id=content_id(result.content) if result.content else None,
            )
        self.states.put(state)
        return result
