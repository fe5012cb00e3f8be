"""A real HTTP server on 127.0.0.1 that plays a group robot: it records every POST (path, query,
headers, JSON body) and answers with the scripted responses in turn, the last one for ever after."""
from __future__ import annotations

import json
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OK_WECOM = (200, {"errcode": 0, "errmsg": "ok"})
OK_FEISHU = (200, {"code": 0, "msg": "success", "data": {}})


@dataclass
class Received:
    path: str
    query: dict
    headers: dict
    raw: bytes

    @property
    def json(self):
        return json.loads(self.raw.decode("utf-8"))


@dataclass
class Robot:
    answers: list = field(default_factory=lambda: [OK_WECOM])
    received: list = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/cgi-bin/webhook/send?key=robot-key-0001"

    def answer(self, index: int):
        return self.answers[min(index, len(self.answers) - 1)]

    def start(self) -> "Robot":
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                parts = urllib.parse.urlsplit(self.path)
                index = len(robot.received)
                robot.received.append(Received(path=parts.path, query=dict(urllib.parse.parse_qsl(parts.query)),
                                               headers={k.lower(): v for k, v in self.headers.items()}, raw=raw))
                status, body = robot.answer(index)
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
