"""Loopback HTTP server for lua-tests/test_http.lua.

Prints its port on the first line of stdout, then serves until GET /shutdown
or 30 seconds, whichever comes first (every test stays bounded)."""
import http.server
import sys
import threading


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _send(self, code, body, ctype="text/plain", extra=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        if self.path == "/hello":
            self._send(200, b"hello, world\n")
        elif self.path == "/big":
            self._send(200, bytes(range(256)) * 4096)
        elif self.path == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (b"first,", b"second,", b"x" * 10000, b"last"):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        elif self.path == "/redirect":
            self._send(302, b"", extra=[("Location", "http://127.0.0.1:%d/hello" % self.server.server_port)])
        elif self.path == "/headers":
            ua = self.headers.get("User-Agent", "")
            self._send(200, ua.encode(), extra=[("X-Test", "yes")])
        elif self.path == "/shutdown":
            self._send(200, b"bye")
            threading.Thread(target=self.server.shutdown).start()
        else:
            self._send(404, b"not found")

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        self._send(200, b"got " + str(len(body)).encode() + b": " + body[:64])


def main():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    print(srv.server_port, flush=True)
    # daemon: after /shutdown the process exits at once, not when the timer fires
    timer = threading.Timer(30, srv.shutdown)
    timer.daemon = True
    timer.start()
    srv.serve_forever()
    sys.exit(0)


if __name__ == "__main__":
    main()
