"""A fake of Twilio's Messages endpoint on 127.0.0.1, for the bench and the tests."""

import itertools
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeTwilio:
    """Twilio's Messages endpoint on 127.0.0.1, answering from a script.

    Used by the bench and by the tests. Script items: ``201`` (accepted),
    ``(status, code)`` (an error such as ``(429, 20429)``), ``("hang", seconds)``
    (answers too late for the client) or ``"garbage"`` (a 201 whose body is not JSON). With the script used up it accepts everything.
    Every request is kept (path, form, auth) with the time it arrived.
    """

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.arrivals: list[float] = []  # time.time() of each accepted message
        self.script: list[object] = []
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
                    fake.requests.append(
                        {
                            "path": self.path,
                            "form": {k: v[0] for k, v in form.items()},
                            "auth": self.headers.get("Authorization", ""),
                        }
                    )
                    step = fake.script.pop(0) if fake.script else 201
                    sid = f"SM{next(fake.sids):032d}"
                if isinstance(step, tuple) and step[0] == "hang":
                    time.sleep(step[1])
                    step = 201
                if step == "garbage":
                    self._answer(201, None)
                elif step == 201:
                    with fake.lock:
                        fake.arrivals.append(arrived)
                    self._answer(201, {"sid": sid, "status": "queued", "to": form["To"][0]})
                else:
                    assert isinstance(step, tuple)
                    status, code = int(step[0]), int(step[1])
                    self._answer(
                        status, {"code": code, "message": f"error {code}", "status": status}
                    )

            def _answer(self, status: int, payload: dict[str, object] | None) -> None:
                body = (
                    b"<html>gateway hiccup</html>"
                    if payload is None
                    else json.dumps(payload).encode()
                )
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up waiting (the timeout tests)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        # shutdown() waits for the serving loop's next poll: the default half second
        # would be added to every test that uses the fake.
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def posts_to(self, number: str) -> list[dict[str, Any]]:
        with self.lock:
            return [r for r in self.requests if r["form"]["To"] == number]

    def clear(self) -> None:
        with self.lock:
            self.requests.clear()
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
