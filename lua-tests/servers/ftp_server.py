"""Loopback FTP server (pyftpdlib) for lua-tests/test_ftp.lua.

Serves the directory given on the command line to user "luser" (password
"pw") and anonymous (read-only); prints its port and serves for 30 seconds
or until the file "shutdown" appears in the directory."""
import os
import sys
import threading

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer
import logging

logging.disable(logging.CRITICAL)
root = sys.argv[1]
auth = DummyAuthorizer()
auth.add_user("luser", "pw", root, perm="elradfmwMT")
auth.add_anonymous(root)
FTPHandler.authorizer = auth
FTPHandler.passive_ports = None
srv = FTPServer(("127.0.0.1", 0), FTPHandler)
print(srv.address[1], flush=True)


def watchdog():
    for _ in range(300):
        if os.path.exists(os.path.join(root, "shutdown")):
            break
        threading.Event().wait(0.1)
    srv.close_all()


threading.Thread(target=watchdog, daemon=True).start()
try:
    srv.serve_forever(timeout=0.2, blocking=True)
except Exception:
    pass
