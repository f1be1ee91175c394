"""Security headers on every response: no sniffing, no framing of the console, a strict CSP,
no caching of anything but the widget's files, no powerful browser features, and HSTS when
the request came over TLS (directly or through a trusted proxy, bot/web/app.py)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), "
                      "magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()")
COMMON = {
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"same-origin",
    b"permissions-policy": PERMISSIONS_POLICY.encode(),
}
# Staff pages and JSON, residents' transcripts: never kept by a browser or a shared cache.
NO_STORE = b"no-store"


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, hsts_seconds: int = 31536000) -> None:
        self.app = app
        self.hsts = f"max-age={hsts_seconds}; includeSubDomains".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        over_tls = scope.get("scheme") == "https"

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                extra = dict(COMMON)
                # Widget files are loaded by council pages on other origins; pages are not.
                if not path.startswith(("/static/", "/api/")):
                    extra[b"content-security-policy"] = CSP.encode()
                    extra[b"x-frame-options"] = b"DENY"
                if not path.startswith("/static/"):
                    extra[b"cache-control"] = NO_STORE
                if over_tls:
                    extra[b"strict-transport-security"] = self.hsts
                headers += [(k, v) for k, v in extra.items() if k not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
