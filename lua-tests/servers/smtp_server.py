"""Minimal loopback SMTP server for lua-tests/test_smtp.lua.

Prints its port, accepts sessions until QUIT of a session whose recipient is
shutdown@test or 30 seconds; each received message is written to the file
named on the command line (appended, separated by a line "=====")."""
import socketserver
import sys
import threading

OUT = sys.argv[1]


class Handler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 localhost test SMTP")
        sender, rcpts = None, []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.decode("latin-1").rstrip("\r\n")
            verb = cmd[:4].upper()
            if verb == "EHLO":
                self.wfile.write(b"250-localhost\r\n250-8BITMIME\r\n250 HELP\r\n")
            elif verb == "HELO":
                self.reply("250 localhost")
            elif verb == "MAIL":
                sender, rcpts = cmd[10:], []
                self.reply("250 OK")
            elif verb == "RCPT":
                addr = cmd[8:]
                if "reject" in addr:
                    self.reply("550 no such user")
                else:
                    rcpts.append(addr)
                    self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 go ahead")
                data = []
                while True:
                    l = self.rfile.readline()
                    if not l or l == b".\r\n":
                        break
                    data.append(l)
                with open(OUT, "ab") as f:
                    f.write(("FROM %s\nTO %s\n" % (sender, ",".join(rcpts))).encode())
                    f.write(b"".join(data))
                    f.write(b"=====\n")
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                if "<shutdown@test>" in rcpts:
                    threading.Thread(target=self.server.shutdown).start()
                return
            elif verb == "RSET":
                self.reply("250 OK")
            else:
                self.reply("502 not implemented")


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


srv = Server(("127.0.0.1", 0), Handler)
print(srv.server_address[1], flush=True)
# A daemon timer: once the test has shut the server down, the interpreter
# must not wait for it (the test's pclose would sit out all 30 seconds).
watchdog = threading.Timer(30, srv.shutdown)
watchdog.daemon = True
watchdog.start()
srv.serve_forever()
