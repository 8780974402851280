"""A hostile stand-in for the hub, for tests/integration/sync_caps.sh.

Serves requests on 127.0.0.1:PORT with the answer MODE names (one, or
until killed for page, big and bomb); it checks the daemon's caps and refusals, not the protocol:
  big    a 40 MiB body (over the 32 MiB raw cap)
  bomb   a gzip body that inflates to 40 MiB (over the inflated cap)
  br     Content-Encoding: br (never asked for)
  junk   200 with a body that is not a page
  silent accepts and never answers (SIGTERM must still stop the daemon)
  page   an empty but valid pull page, to every request until killed
         (with CERT and KEY: over TLS, to check certificate checks)
Usage: python3 hostile_hub.py MODE PORT READY-FILE [CERT KEY] (READY-FILE
is created once listening)."""
import gzip
import http.server
import socket
import ssl
import sys
import time

mode, port, ready = sys.argv[1], int(sys.argv[2]), sys.argv[3]
BIG = b" " * (40 << 20) if mode == "big" else b""
BOMB = gzip.compress(b" " * (40 << 20)) if mode == "bomb" else b""


class H(http.server.BaseHTTPRequestHandler):
    def send(self, body, headers=()):
        self.send_response(200)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass  # the client hung up at its cap, as it should

    def do_GET(self):
        if mode == "big":
            self.send(BIG)
        elif mode == "bomb":
            self.send(BOMB, [("Content-Encoding", "gzip")])
        elif mode == "br":
            self.send(b"{}", [("Content-Encoding", "br")])
        elif mode == "page":
            self.send(b'{"format":"sceaux/1","epoch":"e1","since":0,"next":0,'
                      b'"more":false,"reset":false,"changes":[]}')
        elif mode == "junk":
            self.send(b'{"format": "sceaux/1", "changes": "no"}')

    do_POST = do_GET

    def log_message(self, *a):
        pass


if mode == "silent":
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(8)
    open(ready, "w").close()
    conns = []
    end = time.time() + 60
    s.settimeout(1)
    while time.time() < end:
        try:
            conns.append(s.accept()[0])
        except OSError:
            pass
else:
    srv = http.server.HTTPServer(("127.0.0.1", port), H)
    if len(sys.argv) > 5:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(sys.argv[4], sys.argv[5])
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    open(ready, "w").close()
    if mode in ("page", "big", "bomb"):
        srv.serve_forever()  # syncd asks again with smaller pages
    else:
        srv.handle_request()
