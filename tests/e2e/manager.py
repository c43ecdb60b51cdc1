"""A stand-in for the manager: serves the keys and consoles documents of
manager API v1 (docs/manager-api.md) over HTTP and HTTPS on loopback.

Tests change what it answers through the methods of TestManager; it keeps a
record of every request so a test can check what the client sent.
"""

import hashlib
import json
import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, parse_qs


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr, manager, tls_context):
        self.manager = manager
        self.tls_context = tls_context
        super().__init__(addr, _Handler)

    def get_request(self):
        sock, addr = self.socket.accept()
        if self.tls_context is not None:
            # The handshake runs in the request thread, on first read, so a
            # client that never speaks TLS cannot stall the accept loop.
            sock = self.tls_context.wrap_socket(
                sock, server_side=True, do_handshake_on_connect=False)
        return sock, addr

    def handle_error(self, request, client_address):
        # Clients that give up on a huge answer break the pipe: expected.
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "vmconsole-test-manager/1"

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        mgr = self.server.manager
        url = urlsplit(self.path)
        doc = {"/keys": "keys", "/consoles": "consoles"}.get(url.path)
        rec = mgr._record(self, url, doc)
        if mgr.token is not None:
            if self.headers.get("Authorization") != "Bearer " + mgr.token:
                return self._send(401, b'{"error":"unauthorized"}', rec)
        if doc is None:
            return self._send(404, b'{"error":"not found"}', rec)
        status, body, etag = mgr._answer(doc)
        if etag is not None and self.headers.get("If-None-Match") == etag:
            return self._send(304, b"", rec, etag)
        self._send(status, body, rec, etag)

    def _send(self, status, body, rec, etag=None):
        rec["status"] = status
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            if etag is not None:
                self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            view = memoryview(body)
            for off in range(0, len(body), 65536):
                self.wfile.write(view[off:off + 65536])
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            self.close_connection = True


class TestManager:
    """Keys and consoles documents served over HTTP and HTTPS.

    keys and consoles are the lists of entries put into the documents;
    override(doc, body=..., status=...) replaces one answer with raw bytes
    (hostile payloads) until reset(). Documents carry an ETag, and a
    request naming it in If-None-Match is answered 304 without a body;
    every request is recorded with the status it got.
    """

    def __init__(self, token=None, cert_file=None, key_file=None,
                 address="127.0.0.1"):
        self.address = address
        self.token = token
        self.cert_file = cert_file
        self.key_file = key_file
        self.http_port = _free_port()
        self.https_port = _free_port()
        self._lock = threading.Lock()
        self._servers = []
        self.reset()

    # --- state ---------------------------------------------------------

    def reset(self):
        with self._lock:
            self.keys = []
            self.consoles = []
            self._overrides = {}
            self._encoded = {}
            self.requests = []

    def set_keys(self, entries):
        with self._lock:
            self.keys = list(entries)
            self._encoded.pop("keys", None)

    def set_consoles(self, entries):
        with self._lock:
            self.consoles = list(entries)
            self._encoded.pop("consoles", None)

    def override(self, doc, body, status=200):
        """Answers requests for doc ("keys" or "consoles") with body."""
        if isinstance(body, str):
            body = body.encode()
        with self._lock:
            self._overrides[doc] = (status, body)

    def document(self, doc):
        """Returns the bytes of a document as the manager would serve it,
        and its ETag; both are kept until the entries change, so that
        benchmarks with a million keys measure the client."""
        return self._document(doc)[0]

    def _document(self, doc):
        with self._lock:
            if doc not in self._encoded:
                if doc == "keys":
                    body = _encode({"version": 1, "keys": self.keys})
                else:
                    body = _encode({"version": 1,
                                    "consoles": self.consoles})
                self._encoded[doc] = (
                    body, '"%s"' % hashlib.sha256(body).hexdigest()[:32])
            return self._encoded[doc]

    def clear_requests(self):
        with self._lock:
            self.requests = []

    def requests_for(self, doc):
        with self._lock:
            return [r for r in self.requests if r["doc"] == doc]

    def _record(self, handler, url, doc):
        with self._lock:
            rec = {
                "doc": doc,
                "path": handler.path,
                "query": parse_qs(url.query),
                "authorization": handler.headers.get("Authorization"),
                "if_none_match": handler.headers.get("If-None-Match"),
                "tls": isinstance(handler.connection, ssl.SSLSocket),
                "status": None,
            }
            self.requests.append(rec)
            return rec

    def _answer(self, doc):
        """Returns (status, body, etag); overrides carry no ETag."""
        with self._lock:
            if doc in self._overrides:
                return self._overrides[doc] + (None,)
        body, etag = self._document(doc)
        return 200, body, etag

    # --- lifecycle -----------------------------------------------------

    def url(self, doc, tls=False, query=""):
        scheme, port = ("https", self.https_port) if tls else \
            ("http", self.http_port)
        return "%s://%s:%d/%s%s" % (scheme, self.address, port, doc, query)

    @property
    def running(self):
        return bool(self._servers)

    def start(self):
        if self._servers:
            return
        servers = [_Server((self.address, self.http_port), self, None)]
        if self.cert_file:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(self.cert_file, self.key_file)
            servers.append(_Server((self.address, self.https_port), self,
                                   ctx))
        for srv in servers:
            t = threading.Thread(target=srv.serve_forever,
                                 kwargs={"poll_interval": 0.2}, daemon=True)
            t.start()
        self._servers = servers

    def stop(self):
        """Stops listening: connections to the ports are refused."""
        for srv in self._servers:
            srv.shutdown()
            srv.server_close()
        self._servers = []


def _encode(obj):
    return json.dumps(obj, indent=1).encode()


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
