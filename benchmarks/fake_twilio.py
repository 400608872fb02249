"""Twilio's Messages endpoint on 127.0.0.1 that accepts everything and notes when."""

import itertools
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeTwilio:
    def __init__(self) -> None:
        self.arrivals: list[float] = []  # time.time() of each accepted message
        self.lock = threading.Lock()
        self.sids = itertools.count(1)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as api.twilio.com does
            # Headers and body go out in two writes; with Nagle on, the client's delayed
            # ACK would add ~40 ms to every message, which real Twilio does not.
            disable_nagle_algorithm = True

            def do_POST(self) -> None:
                arrived = time.time()
                length = int(self.headers.get("Content-Length", 0))
                form = urllib.parse.parse_qs(self.rfile.read(length).decode())
                with fake.lock:
                    fake.arrivals.append(arrived)
                    sid = f"SM{next(fake.sids):032d}"
                body = json.dumps({"sid": sid, "status": "queued", "to": form["To"][0]}).encode()
                self.send_response(201)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def clear(self) -> None:
        with self.lock:
            self.arrivals.clear()

    def count(self) -> int:
        with self.lock:
            return len(self.arrivals)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def max_in_any_second(moments: list[float]) -> int:
    """The most messages inside any sliding one-second window."""
    ordered = sorted(moments)
    best = 0
    start = 0
    for end, moment in enumerate(ordered):
        while moment - ordered[start] >= 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


def max_in_a_clock_second(moments: list[float]) -> int:
    """The most messages within one whole wall-clock second (the throttle's own windows)."""
    per_second: dict[int, int] = {}
    for moment in moments:
        per_second[int(moment)] = per_second.get(int(moment), 0) + 1
    return max(per_second.values(), default=0)
