"""A receiver of offboard's outbound event hooks, for tests/hooks.rs.

Listens on 127.0.0.1 (a free port, written to --port-file), verifies every delivery
with the `standardwebhooks` library (the Standard Webhooks reference for Python), and
appends one JSON line per request to --log: the webhook-id, whether it verified, the
body exactly as received. The secret is read from --secret-file when the first request
comes (the hook is created after the receiver has its port). With --recover-file it
answers 503 until that file exists (a receiver that fails, then recovers); --delay-ms M
answers each request M ms late (so a test can kill the sender in the middle of its
deliveries).
"""

import argparse
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

parser = argparse.ArgumentParser()
parser.add_argument("--port-file", required=True)
parser.add_argument("--log", required=True)
parser.add_argument("--secret-file", required=True)
parser.add_argument("--recover-file")
parser.add_argument("--delay-ms", type=int, default=0)
args = parser.parse_args()

verifier = {}
lock = threading.Lock()
seen = {"requests": 0}
log = open(args.log, "a", encoding="utf-8")


def record(entry):
    with lock:
        log.write(json.dumps(entry) + "\n")
        log.flush()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def answer(self, code):
        self.send_response(code)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode("utf-8")
        with lock:
            seen["requests"] += 1
            n = seen["requests"]
        if args.delay_ms:
            time.sleep(args.delay_ms / 1000.0)
        headers = {k: v for k, v in self.headers.items()}
        entry = {
            "n": n,
            "id": self.headers.get("webhook-id"),
            "timestamp": self.headers.get("webhook-timestamp"),
            "body": body,
            "content_type": self.headers.get("Content-Type"),
        }
        try:
            with lock:
                if "v" not in verifier:
                    with open(args.secret_file, encoding="utf-8") as f:
                        verifier["v"] = Webhook(f.read().strip())
            verifier["v"].verify(body, headers)
            entry["verified"] = True
        except WebhookVerificationError as e:
            entry["verified"] = False
            entry["error"] = str(e)
        if args.recover_file and not os.path.exists(args.recover_file):
            entry["answered"] = 503
            record(entry)
            self.answer(503)
            return
        entry["answered"] = 204 if entry["verified"] else 400
        record(entry)
        self.answer(entry["answered"])


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(args.port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.replace(args.port_file + ".tmp", args.port_file)
sys.stdout.flush()
server.serve_forever()
