"""Clients for tests/harden/load.lua: opens N TCP connections to
127.0.0.1:PORT, waits for the server's "go\\n" on every one, then runs ROUNDS
request/echo rounds on each (message i:r:payload, payload derived from i and
r, sizes varied), checking every byte that comes back; then closes them all.

  loadclient.py PORT N ROUNDS [LIFE]

Prints one line: "ok connected=N lines=L bytes=B" or "FAIL <why>". Bounded
by LIFE seconds (default 120), and ends when its parent (the server) dies. Connections are made in batches so the
server's accept queue does not overflow.
"""
import os
import selectors
import socket
import sys
import time


def payload(i, r):
    n = (i * 131 + r * 17) % 700
    return bytes([97 + (i + r + k) % 26 for k in range(n)])


def main():
    port, n, rounds = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    life = float(sys.argv[4]) if len(sys.argv) > 4 else 120.0
    deadline = time.monotonic() + life
    parent = os.getppid()
    sel = selectors.DefaultSelector()
    conns = []
    batch = 200
    for start in range(0, n, batch):
        pending = []
        for i in range(start, min(n, start + batch)):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", port))
            pending.append(s)
        for s in pending:
            sel.register(s, selectors.EVENT_WRITE)
        left = len(pending)
        while left and time.monotonic() < deadline and os.getppid() == parent:
            for key, _ in sel.select(1):
                err = key.fileobj.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if err:
                    print("FAIL connect error %d" % err)
                    return
                sel.unregister(key.fileobj)
                left -= 1
        if left:
            print("FAIL %d connections did not complete" % left)
            return
        conns.extend(pending)
    state = {}
    for i, s in enumerate(conns):
        state[s] = {"i": i, "r": -1, "buf": b"", "want": b"go\n"}
        sel.register(s, selectors.EVENT_READ)
    lines = nbytes = finished = 0
    while finished < n and time.monotonic() < deadline and os.getppid() == parent:
        for key, _ in sel.select(1):
            s = key.fileobj
            st = state[s]
            try:
                b = s.recv(65536)
            except BlockingIOError:
                continue
            if not b:
                print("FAIL connection %d closed early" % st["i"])
                return
            st["buf"] += b
            while len(st["buf"]) >= len(st["want"]):
                got, st["buf"] = st["buf"][:len(st["want"])], st["buf"][len(st["want"]):]
                if got != st["want"]:
                    print("FAIL connection %d round %d: wrong bytes" % (st["i"], st["r"]))
                    return
                if st["r"] >= 0:
                    lines += 1
                    nbytes += len(got)
                st["r"] += 1
                if st["r"] == rounds:
                    sel.unregister(s)
                    s.close()
                    finished += 1
                    break
                msg = b"%d:%d:" % (st["i"], st["r"]) + payload(st["i"], st["r"]) + b"\n"
                s.setblocking(True)
                s.sendall(msg)
                s.setblocking(False)
                st["want"] = msg
    if finished < n:
        print("FAIL only %d of %d connections finished" % (finished, n))
        return
    print("ok connected=%d lines=%d bytes=%d" % (n, lines, nbytes))


if __name__ == "__main__":
    main()
