"""A fake Twilio Messages API for tests: records sends, answers like the real one."""

from __future__ import annotations

import base64
import itertools

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


class FakeTwilioApi:
    """Records every created message; can answer 429 / 5xx first, or refuse unsubscribed numbers."""

    def __init__(self, account_sid: str, auth_token: str, throttle: int = 0, server_errors: int = 0,
                 unsubscribed: frozenset[str] = frozenset()):
        self.account_sid, self.auth_token = account_sid, auth_token
        self.throttle, self.server_errors, self.unsubscribed = throttle, server_errors, unsubscribed
        self.attempts = 0
        self.messages: list[dict] = []
        self._sids = itertools.count(1)
        self.app = Starlette(routes=[
            Route("/2010-04-01/Accounts/{sid}/Messages.json", self.create, methods=["POST"]),
        ])

    async def create(self, request: Request) -> JSONResponse:
        self.attempts += 1
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if request.headers.get("authorization") != f"Basic {expected}" or request.path_params["sid"] != self.account_sid:
            return JSONResponse({"code": 20003, "message": "Authenticate", "status": 401}, status_code=401)
        form = dict(await request.form())
        if self.throttle > 0:
            self.throttle -= 1
            return JSONResponse({"code": 20429, "message": "Too Many Requests", "status": 429},
                                status_code=429, headers={"Retry-After": "1"})
        if self.server_errors > 0:
            self.server_errors -= 1
            return JSONResponse({"code": 20500, "message": "Internal Server Error", "status": 500}, status_code=500)
        if form.get("To") in self.unsubscribed:
            return JSONResponse({"code": 21610, "message": "Attempt to send to unsubscribed recipient",
                                 "status": 400}, status_code=400)
        sid = f"SM{next(self._sids):032x}"
        self.messages.append(form)
        return JSONResponse({"sid": sid, "status": "queued", "to": form.get("To"), "from": form.get("From"),
                             "body": form.get("Body")}, status_code=201)
