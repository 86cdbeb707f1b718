"""The outbound guard: which addresses it refuses, and that it connects where it vetted, once, without redirects."""
import datetime
import http.server
import ipaddress
import ssl
import threading

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

import safehttp

REFUSED = [
    ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"),
    ("10.0.0.1", "private"), ("172.16.5.4", "private"), ("192.168.1.1", "private"), ("fc00::1", "private"),
    ("fd12:3456::1", "private"),
    ("169.254.169.254", "link-local"), ("169.254.0.1", "link-local"), ("fe80::1", "link-local"),
    ("100.64.0.1", "shared (CGNAT)"), ("100.127.255.254", "shared (CGNAT)"),
    ("224.0.0.1", "multicast"), ("239.255.255.250", "multicast"), ("ff02::1", "multicast"),
    ("0.0.0.0", "unspecified"), ("::", "unspecified"),
    ("240.0.0.1", "reserved"), ("255.255.255.255", "reserved"),
    ("::ffff:127.0.0.1", "loopback (IPv4-mapped of 127.0.0.1)"),
    ("::ffff:10.1.2.3", "private (IPv4-mapped of 10.1.2.3)"),
    ("::ffff:169.254.169.254", "link-local (IPv4-mapped of 169.254.169.254)"),
    ("64:ff9b::a9fe:a9fe", "link-local (NAT64 of 169.254.169.254)"),
    ("64:ff9b::7f00:1", "loopback (NAT64 of 127.0.0.1)"),
    ("64:ff9b::c0a8:101", "private (NAT64 of 192.168.1.1)"),
    ("2002:a00:1::1", "private (6to4 of 10.0.0.1)"),
    ("2002:7f00:1::", "loopback (6to4 of 127.0.0.1)"),
    ("2002:a9fe:a9fe::1", "link-local (6to4 of 169.254.169.254)"),
]
PUBLIC = ["8.8.8.8", "1.1.1.1", "93.184.215.14", "2606:4700:4700::1111", "2a00:1450:4001:80b::200a",
          "::ffff:8.8.8.8", "64:ff9b::808:808"]


@pytest.mark.parametrize(("address", "reason"), REFUSED)
def test_every_non_public_range_is_refused(address, reason):
    assert safehttp.refusal(address) == reason
    assert safehttp.refusal(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address):
    assert safehttp.refusal(address) is None


@pytest.mark.parametrize(("address", "reason"), REFUSED[:8])
def test_a_name_resolving_to_a_refused_address_is_not_connected_to(address, reason):
    with safehttp.use_resolver(lambda host, port: ["93.184.215.14", address]):  # one bad answer is enough
        with pytest.raises(safehttp.Refused) as refused:
            safehttp.Session().post("https://hooks.example.com/in", data=b"{}")
    assert refused.value.address == address
    assert str(refused.value) == f"hooks.example.com resolves to {address}: {reason}"


@pytest.mark.parametrize(
    ("url", "kwargs", "reason"),
    [
        ("http://hooks.example.com/in", {}, "the scheme http is not allowed"),
        ("ftp://hooks.example.com/in", {"allow_http": True}, "the scheme ftp is not allowed"),
        ("https://hooks.example.com:6379/in", {}, "the port 6379 is not allowed (only 443 for https)"),
        ("https://hooks.example.com:80/in", {}, "the port 80 is not allowed (only 443 for https)"),
        ("http://hooks.example.com:443/in", {"allow_http": True}, "the port 443 is not allowed (only 80 for http)"),
        ("https://user:pw@hooks.example.com/in", {}, "the address must not carry a user name or password"),
        ("https://evil.example/in", {"allowed_host": lambda host: host == "fcm.googleapis.com"},
         "the host evil.example is not allowed"),
    ],
)
def test_schemes_ports_and_hosts_outside_the_policy_are_refused_before_resolving(url, kwargs, reason):
    asked = []
    with safehttp.use_resolver(lambda host, port: asked.append(host) or ["93.184.215.14"]):
        with pytest.raises(safehttp.Refused, match=reason.replace("(", r"\(").replace(")", r"\)")):
            safehttp.Session(**kwargs).post(url, data=b"{}")
    assert asked == []


def test_a_name_without_an_address_is_a_connection_error_worth_retrying():
    def nothing(host, port):
        raise OSError("Name or service not known")

    with safehttp.use_resolver(nothing), pytest.raises(requests.ConnectionError):
        safehttp.Session().post("https://gone.example.com/in")


# --- against a local server ------------------------------------------------------------------


class Stub:
    """A local HTTP(S) server on 127.0.0.1 recording the requests and the TLS server name asked for."""

    def __init__(self, status=200, headers=None, tls=None):
        self.requests, self.server_names = [], []
        stub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                stub.requests.append({"path": self.path, "host": self.headers["Host"], "body": self.rfile.read(length)})
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            do_GET = do_POST

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls is not None:
            tls.sni_callback = lambda sock, name, context: stub.server_names.append(name)
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def once(address):
    """A resolver answering `address` the first time and another address after (a rebinding DNS server)."""
    answers = [[address]]
    calls = []

    def resolver(host, port):
        calls.append(host)
        return answers.pop() if answers else ["192.0.2.99"]

    resolver.calls = calls
    return resolver


def test_the_connection_goes_to_the_vetted_address_with_the_name_in_the_host_header():
    resolver = once("127.0.0.1")
    with Stub() as stub, safehttp.use_resolver(resolver):
        answer = safehttp.Session(allow_http=True, allow_local=True).post(
            f"http://hooks.example.test:{stub.port}/in?x=1", data=b"{}", timeout=5
        )
    assert answer.status_code == 200
    assert resolver.calls == ["hooks.example.test"]  # resolved once: the second answer was never asked for
    assert stub.requests == [{"path": "/in?x=1", "host": f"hooks.example.test:{stub.port}", "body": b"{}"}]


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_never_followed(status):
    with Stub(status=status, headers={"Location": "/elsewhere"}) as stub, safehttp.use_resolver(once("127.0.0.1")):
        answer = safehttp.Session(allow_http=True, allow_local=True).post(
            f"http://hooks.example.test:{stub.port}/in", data=b"{}", timeout=5, allow_redirects=True
        )
    assert answer.status_code == status
    assert [request["path"] for request in stub.requests] == ["/in"]


def _certificate(tmp_path, name):
    """A self-signed certificate for `name` (its own CA), written as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / f"{name}.pem", tmp_path / f"{name}.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ))
    return str(cert_file), str(key_file)


def _tls_context(cert_file, key_file):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context


def test_tls_goes_to_the_vetted_address_with_the_name_as_sni_and_certificate_check(tmp_path):
    cert_file, key_file = _certificate(tmp_path, "hooks.example.test")
    resolver = once("127.0.0.1")
    with Stub(tls=_tls_context(cert_file, key_file)) as stub, safehttp.use_resolver(resolver):
        answer = safehttp.Session(allow_local=True).post(
            f"https://hooks.example.test:{stub.port}/in", data=b"{}", timeout=5, verify=cert_file
        )
    assert answer.status_code == 200
    assert resolver.calls == ["hooks.example.test"]
    assert stub.server_names == ["hooks.example.test"]
    assert stub.requests[0]["host"] == f"hooks.example.test:{stub.port}"


def test_a_certificate_for_another_name_is_refused(tmp_path):
    cert_file, key_file = _certificate(tmp_path, "other.example.test")
    with Stub(tls=_tls_context(cert_file, key_file)) as stub, safehttp.use_resolver(once("127.0.0.1")):
        with pytest.raises(requests.exceptions.SSLError):
            safehttp.Session(allow_local=True).post(
                f"https://hooks.example.test:{stub.port}/in", data=b"{}", timeout=5, verify=cert_file
            )
    assert stub.requests == []
