"""A real SMTP server for tests, on a local port, that keeps and counts every message it accepts.

Small enough to read (socketserver, no new dependency): it speaks the part of SMTP that
Django's SMTP backend uses (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT). `on_accept(message)`
runs when a message's data has arrived and before the server answers 250 for it: the moment
the message is the server's, which is where a test drops the sender's database session.
"""

import socketserver
import threading
from collections.abc import Callable
from email import message_from_bytes, policy
from email.message import Message


class SMTPSink:
    def __init__(self, on_accept: Callable[[Message], None] | None = None):
        self.messages: list[Message] = []
        self.on_accept = on_accept
        self._lock = threading.Lock()
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")
                self.wfile.flush()

            def handle(self) -> None:
                self.reply("220 sink ESMTP")
                while line := self.rfile.readline():
                    verb = line.decode(errors="replace").strip().split(" ", 1)[0].upper()
                    if verb == "EHLO":
                        self.reply("250-sink")
                        self.reply("250 8BITMIME")
                    elif verb in {"HELO", "MAIL", "RCPT", "RSET", "NOOP"}:
                        self.reply("250 OK")
                    elif verb == "DATA":
                        self.reply("354 End data with <CR><LF>.<CR><LF>")
                        sink._accept(self._read_data())
                        self.reply("250 OK: queued")
                    elif verb == "QUIT":
                        self.reply("221 Bye")
                        return
                    else:
                        self.reply("502 Command not implemented")

            def _read_data(self) -> bytes:
                lines = []
                while (line := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    lines.append(line[1:] if line.startswith(b"..") else line)  # dot-stuffing
                return b"".join(lines)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = Server(("127.0.0.1", 0), Handler)
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def _accept(self, data: bytes) -> None:
        message = message_from_bytes(data, policy=policy.default)  # headers unfolded
        with self._lock:
            self.messages.append(message)
        if self.on_accept is not None:
            self.on_accept(message)

    @property
    def count(self) -> int:
        with self._lock:
            return len(self.messages)

    @property
    def message_ids(self) -> list[str]:
        with self._lock:
            return [str(message["Message-ID"]).strip() for message in self.messages]

    def __enter__(self) -> "SMTPSink":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._server.shutdown()
        self._server.server_close()
