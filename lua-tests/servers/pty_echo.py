"""A pty echo peer for the socket.serial tests.

Creates a pty pair, puts the slave in raw mode (socket.serial changes no
termios settings), prints the slave's path and echoes everything written to
the slave back to it. The marker <<BYE>> in the data ends it (closing the
master, which hangs the slave up); it also ends by itself after a bounded
lifetime (argv[1] seconds, default 20).
"""
import os
import select
import sys
import time
import tty

def main():
    life = float(sys.argv[1]) if len(sys.argv) > 1 else 20.0
    master, slave = os.openpty()
    tty.setraw(slave)
    sys.stdout.write(os.ttyname(slave) + "\n")
    sys.stdout.flush()
    deadline = time.monotonic() + life
    seen = b""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        r, _, _ = select.select([master], [], [], left)
        if not r:
            continue
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        seen = (seen + data)[-16:]
        if b"<<BYE>>" in seen:
            break
        view = memoryview(data)
        while view:
            n = os.write(master, view)
            view = view[n:]
    os.close(master)
    os.close(slave)

main()
