"""Outbound HTTP to addresses someone else chose (a storefront's webhook URL, a browser's push endpoint).

`Session` is a requests session that, for every request:
- allows only https on port 443 (and http on port 80 when `allow_http` is set);
- resolves the host once and refuses the request if any address it resolves to is not a public
  unicast one (`refusal()` says why: loopback, private, link-local, shared/CGNAT, multicast,
  unspecified, reserved, or a NAT64 / 6to4 / IPv4-mapped address embedding one of those);
- connects to exactly the address it vetted (no second resolution: a name that answers a public
  address to the check and a private one to the connection reaches nothing), while sending the
  name in the Host header and checking the TLS certificate for the name (SNI included);
- never follows redirects and ignores proxy settings from the environment.

`allow_local` (development and tests only) lets any address and any port through, still pinned.
`allowed_host` is an optional predicate a host name must pass (e.g. the known push services).

This package imports nothing of the project's: it sits below every app that uses it.
"""
from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
from dataclasses import dataclass
from typing import Callable, Iterable
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

__all__ = [
    "Refused", "Session", "Unresolvable", "Vetted", "refusal", "resolve", "use_resolver", "vet",
]

# A resolver takes a host name and a port and returns the addresses (as text) the name has.
Resolver = Callable[[str, int], Iterable[str]]

SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")  # CGNAT, RFC 6598
NAT64_WELL_KNOWN = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215
SIX_TO_FOUR = ipaddress.ip_network("2002::/16")  # RFC 3056
DEFAULT_PORTS = {"https": 443, "http": 80}


class Refused(requests.RequestException):
    """The request was not sent: its scheme, port, host or address is not allowed."""

    def __init__(self, reason: str, *, address: str = "", **kwargs):
        self.reason = reason
        self.address = address
        super().__init__(reason, **kwargs)


class Unresolvable(requests.ConnectionError):
    """The host name has no address (now): like any connection error, worth trying again later."""


def _system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return [info[4][0] for info in infos]


_resolver: Resolver = _system_resolver
_resolver_lock = threading.Lock()


@contextlib.contextmanager
def use_resolver(resolver: Resolver):
    """Resolve host names with `resolver` inside the block (tests simulate DNS with it)."""
    global _resolver
    with _resolver_lock:
        previous, _resolver = _resolver, resolver
    try:
        yield
    finally:
        with _resolver_lock:
            _resolver = previous


def resolve(host: str, port: int) -> list[str]:
    """The addresses of `host` as the resolver answers now (a literal address is its own answer)."""
    literal = _literal(host)
    if literal is not None:
        return [str(literal)]
    try:
        addresses = [address.split("%", 1)[0] for address in _resolver(host, port)]
    except (OSError, UnicodeError) as error:
        raise Unresolvable(f"{host} could not be resolved: {error}") from None
    if not addresses:
        raise Unresolvable(f"{host} has no address")
    return addresses


def _literal(host: str):
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def refusal(address) -> str | None:
    """Why a request must not go to `address` (an ipaddress object or text), or None when it is public."""
    if isinstance(address, str):
        address = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(address, ipaddress.IPv6Address):
        embedded = None
        if address.ipv4_mapped is not None:
            embedded, kind = address.ipv4_mapped, "IPv4-mapped"
        elif address in NAT64_WELL_KNOWN:
            embedded, kind = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF), "NAT64"
        elif address in SIX_TO_FOUR:
            embedded, kind = address.sixtofour, "6to4"
        if embedded is not None:
            inner = refusal(embedded)
            if inner is not None:
                return f"{inner} ({kind} of {embedded})"
            if kind != "6to4":
                return None  # a public IPv4 address reached through a translator
        if address in NAT64_LOCAL:
            return "NAT64 local-use"
    if address.is_unspecified:
        return "unspecified"
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if isinstance(address, ipaddress.IPv4Address) and address in SHARED_ADDRESS_SPACE:
        return "shared (CGNAT)"
    if address.is_reserved:
        return "reserved"
    if address.is_private:
        return "private"
    if not address.is_global:
        return "not public"
    return None


@dataclass(frozen=True)
class Vetted:
    scheme: str
    host: str  # the name, as the certificate and the Host header must carry it
    port: int
    address: str  # the one address connected to


def vet(url: str, *, allow_http: bool = False, allow_local: bool = False,
        allowed_host: Callable[[str], bool] | None = None) -> Vetted:
    """Check `url` and resolve its host once: the address to connect to, or Refused / Unresolvable."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".").lower()
        port = parts.port
    except ValueError:
        raise Refused("the address is not a valid URL") from None
    scheme = parts.scheme.lower()
    if scheme not in (("https", "http") if allow_http else ("https",)):
        raise Refused(f"the scheme {scheme or '(none)'} is not allowed")
    if not host:
        raise Refused("the address has no host")
    if parts.username or parts.password:
        raise Refused("the address must not carry a user name or password")
    port = port or DEFAULT_PORTS[scheme]
    if not allow_local and port != DEFAULT_PORTS[scheme]:
        raise Refused(f"the port {port} is not allowed (only {DEFAULT_PORTS[scheme]} for {scheme})")
    if allowed_host is not None and not allow_local and not allowed_host(host):
        raise Refused(f"the host {host} is not allowed")
    addresses = resolve(host, port)
    if not allow_local:
        for address in addresses:
            why = refusal(address)
            if why is not None:
                raise Refused(f"{host} resolves to {address}: {why}", address=address)
    return Vetted(scheme=scheme, host=host, port=port, address=addresses[0])


class PinnedAdapter(HTTPAdapter):
    """Sends each request to the address `Session.send` vetted for it, never to a new resolution."""

    def build_connection_pool_key_attributes(self, request, verify, cert=None):
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
        vetted: Vetted = request.vetted
        host_params = {"scheme": vetted.scheme, "host": vetted.address, "port": vetted.port}
        if vetted.scheme == "https":
            pool_kwargs = {**pool_kwargs, "server_hostname": vetted.host, "assert_hostname": vetted.host}
        return host_params, pool_kwargs

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        if not isinstance(getattr(request, "vetted", None), Vetted):
            raise Refused("the request was not vetted")
        return super().send(request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies={})


class Session(requests.Session):
    """A requests session for addresses someone else chose (see the module's docstring)."""

    def __init__(self, *, allow_http: bool = False, allow_local: bool = False,
                 allowed_host: Callable[[str], bool] | None = None):
        super().__init__()
        self.allow_http = allow_http
        self.allow_local = allow_local
        self.allowed_host = allowed_host
        self.trust_env = False  # no proxy from the environment: the connection goes where it was vetted
        adapter = PinnedAdapter()
        self.adapters.clear()
        self.mount("https://", adapter)
        self.mount("http://", adapter)

    def send(self, request, **kwargs):
        kwargs["allow_redirects"] = False
        kwargs["proxies"] = {}
        vetted = vet(request.url, allow_http=self.allow_http, allow_local=self.allow_local,
                     allowed_host=self.allowed_host)
        request.vetted = vetted
        default = DEFAULT_PORTS[vetted.scheme]
        name = f"[{vetted.host}]" if ":" in vetted.host else vetted.host
        request.headers["Host"] = name if vetted.port == default else f"{name}:{vetted.port}"
        return super().send(request, **kwargs)
