#!/usr/bin/python3
"""Test manager for the packaging tests: serves keys.json and consoles.json
of a directory as /keys and /consoles over HTTPS on loopback, asking for a
bearer token. /empty answers 204 without a document and /downgrade
redirects to plain http, which a client must not follow. Writes the port it
listens on to --port-file when ready."""

import argparse
import os
import ssl
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        name = {"/keys": "keys.json", "/consoles": "consoles.json"}.get(
            urlsplit(self.path).path)
        if self.headers.get("Authorization") != "Bearer " + self.server.token:
            return self.send(401, b'{"error":"unauthorized"}')
        path = urlsplit(self.path).path
        if path == "/empty":
            return self.send(204, b"")
        if path == "/downgrade":
            self.send_response(302)
            self.send_header("Location", "http://127.0.0.1:%d/keys"
                             % self.server.server_address[1])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if name is None:
            return self.send(404, b'{"error":"not found"}')
        with open(os.path.join(self.server.docroot, name), "rb") as f:
            self.send(200, f.read())

    def send(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--docroot", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--port-file", required=True)
    args = ap.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.docroot = args.docroot
    server.token = args.token
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(tmp, args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
