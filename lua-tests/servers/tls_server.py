"""Loopback TLS servers for lua-tests/test_luasec.lua, with a throwaway
self-signed certificate made by the openssl command in a temporary
directory. Prints "<https port> <echo port>", serves for 30 seconds or until
GET /shutdown."""
import http.server
import os
import socket
import ssl
import subprocess
import tempfile
import threading

tmp = tempfile.mkdtemp()
key, cert = os.path.join(tmp, "k.pem"), os.path.join(tmp, "c.pem")
subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                "-out", cert, "-subj", "/CN=localhost", "-days", "1"],
               check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def do_GET(self):
        body = b"secure hello\n" if self.path != "/shutdown" else b"bye"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        if self.path == "/shutdown":
            threading.Thread(target=stop).start()


httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
httpd.daemon_threads = True
httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)

echo = socket.socket()
echo.bind(("127.0.0.1", 0))
echo.listen(8)
echo.settimeout(1)
running = True


def echo_loop():
    while running:
        try:
            raw, _ = echo.accept()
        except OSError:
            continue
        try:
            with ctx.wrap_socket(raw, server_side=True) as s:
                s.settimeout(10)
                f = s.makefile("rb")
                for line in f:
                    s.sendall(line)
        except (OSError, ssl.SSLError):
            pass


def stop():
    global running
    running = False
    httpd.shutdown()


threading.Thread(target=echo_loop, daemon=True).start()
# A daemon timer: once the test has shut the server down, the interpreter
# must not wait for it (the test's pclose would sit out all 30 seconds).
watchdog = threading.Timer(30, stop)
watchdog.daemon = True
watchdog.start()
print(httpd.server_port, echo.getsockname()[1], flush=True)
httpd.serve_forever()
