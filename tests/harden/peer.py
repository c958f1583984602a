"""A scripted TCP peer for the hardening tests (memory, signals, peer faults).

Listens on 127.0.0.1 (or ::1 with -6) on an ephemeral port, prints the port
and its pid on stdout, and serves each connection in a thread. A connection starts with
one command line from the client; the peer then acts it out:

  blast N       send N bytes of data(N), then close
  line N        send N bytes of data(N) and "\\n", then close
  rst N D       send N bytes, wait D ms, close with SO_LINGER 0 (an RST)
  rstlines D    send "first\nsecond\npartial", wait D ms, close with an RST
  half N        send N bytes, shut down its sending side, read until EOF,
                then send nothing more and close
  trickle N D   send N bytes one at a time, D ms apart, then close
  sink          read and discard until EOF; then close
  die N         read N bytes, then close with SO_LINGER 0 (RST) while the
                client is still sending
  delay D N     wait D ms, then send N bytes, then wait for EOF and close
  echo          echo every byte until EOF
  count         read until EOF, then send the byte count as a line and close
  dial P D      close this connection, wait D ms, connect to 127.0.0.1:P
                (or [::1]:P with -6), send "hello\n" and close

data(N) is the first N bytes of "0123456789abcdefghijklmnopqrstuvwxyz"
repeated, so the client can rebuild what it should have got.

The peer exits after a bounded lifetime (argv: [-6] [seconds], default 60).
"""
import os
import socket
import struct
import sys
import threading
import time

ALPHA = b"0123456789abcdefghijklmnopqrstuvwxyz"


FAMILY = [socket.AF_INET, "127.0.0.1"]


def data(n):
    return (ALPHA * (n // len(ALPHA) + 1))[:n]


def sendall(c, b):
    view = memoryview(b)
    while view:
        sent = c.send(view[:1 << 20])
        view = view[sent:]


def drain(c):
    total = 0
    while True:
        b = c.recv(1 << 16)
        if not b:
            return total
        total += len(b)


def reset(c):
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()


def serve(c):
    try:
        line = b""
        while not line.endswith(b"\n"):
            ch = c.recv(1)
            if not ch:
                return
            line += ch
        words = line.decode().split()
        cmd, args = words[0], [int(w) for w in words[1:]]
        if cmd == "blast":
            sendall(c, data(args[0]))
        elif cmd == "line":
            sendall(c, data(args[0]) + b"\n")
        elif cmd == "rst":
            sendall(c, data(args[0]))
            time.sleep(args[1] / 1000)
            reset(c)
            return
        elif cmd == "rstlines":
            sendall(c, b"first\nsecond\npartial")
            time.sleep(args[0] / 1000)
            reset(c)
            return
        elif cmd == "half":
            sendall(c, data(args[0]))
            c.shutdown(socket.SHUT_WR)
            drain(c)
        elif cmd == "trickle":
            for b in data(args[0]):
                c.send(bytes([b]))
                time.sleep(args[1] / 1000)
        elif cmd == "sink":
            drain(c)
        elif cmd == "die":
            got = 0
            while got < args[0]:
                b = c.recv(min(1 << 16, args[0] - got))
                if not b:
                    break
                got += len(b)
            reset(c)
            return
        elif cmd == "delay":
            time.sleep(args[0] / 1000)
            sendall(c, data(args[1]))
            drain(c)
        elif cmd == "echo":
            while True:
                b = c.recv(1 << 16)
                if not b:
                    break
                sendall(c, b)
        elif cmd == "dial":
            c.close()
            time.sleep(args[1] / 1000)
            d = socket.socket(FAMILY[0], socket.SOCK_STREAM)
            d.settimeout(10)
            d.connect((FAMILY[1], args[0]))
            sendall(d, b"hello\n")
            d.close()
            return
        elif cmd == "count":
            n = drain(c)
            sendall(c, b"%d\n" % n)
        c.close()
    except OSError:
        try:
            c.close()
        except OSError:
            pass


def main():
    argv = sys.argv[1:]
    family, host = socket.AF_INET, "127.0.0.1"
    if argv and argv[0] == "-6":
        family, host = socket.AF_INET6, "::1"
        FAMILY[:] = [family, host]
        argv = argv[1:]
    life = float(argv[0]) if argv else 60.0
    srv = socket.socket(family, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((host, 0))
    srv.listen(128)
    sys.stdout.write("%d %d\n" % (srv.getsockname()[1], os.getpid()))
    sys.stdout.flush()
    deadline = time.monotonic() + life
    srv.settimeout(0.2)
    while time.monotonic() < deadline:
        try:
            c, _ = srv.accept()
        except socket.timeout:
            continue
        c.settimeout(max(1.0, deadline - time.monotonic()))
        threading.Thread(target=serve, args=(c,), daemon=True).start()


if __name__ == "__main__":
    main()
