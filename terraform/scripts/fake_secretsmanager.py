#!/usr/bin/env python3
"""A local stand-in for the one Secrets Manager call `terraform test` makes during plan.

Terraform opens ephemeral resources while planning, and mock providers cannot mock them yet, so
the plan-only tests run the real hashicorp/aws provider with dummy credentials and point
Secrets Manager here (AWS_ENDPOINT_URL_SECRETS_MANAGER). It answers GetRandomPassword and refuses
everything else, so a test that would really touch AWS fails loudly. Prints its port, then serves
until killed. Test use only.
"""
import http.server
import json
import secrets
import string


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server naming)
        length = int(self.headers.get("Content-Length", 0))
        body = json.loads(self.rfile.read(length) or b"{}")
        target = self.headers.get("X-Amz-Target", "")
        if target == "secretsmanager.GetRandomPassword":
            alphabet = string.ascii_letters + string.digits
            size = int(body.get("PasswordLength", 32))
            status, reply = 200, {"RandomPassword": "".join(secrets.choice(alphabet) for _ in range(size))}
        else:
            status, reply = 400, {"__type": "UnsupportedOperation", "message": f"test double does not serve {target}"}
        data = json.dumps(reply).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()
