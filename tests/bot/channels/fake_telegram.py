"""A fake Telegram Bot API server for tests: records calls, answers like the real one."""

from __future__ import annotations

import json
import time

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

BOT_USER = {"id": 8000000001, "is_bot": True, "first_name": "familybot", "username": "familybot_test_bot",
            "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False}


class FakeBotApi:
    """Records every method call; can answer 429 to the first `throttle` sendMessage calls."""

    def __init__(self, token: str, throttle: int = 0, server_errors: int = 0):
        self.token = token
        self.calls: list[tuple[str, dict]] = []
        self.throttle, self.server_errors = throttle, server_errors
        self.app = Starlette(routes=[Route("/bot{token}/{method}", self.endpoint, methods=["POST", "GET"])])

    def sent(self, method: str = "sendMessage") -> list[dict]:
        return [params for name, params in self.calls if name == method]

    async def endpoint(self, request: Request) -> JSONResponse:
        if request.path_params["token"] != self.token:
            return JSONResponse({"ok": False, "error_code": 401, "description": "Unauthorized"}, status_code=401)
        method = request.path_params["method"]
        params = await self._params(request)
        self.calls.append((method, params))
        if method == "sendMessage" and self.throttle > 0:
            self.throttle -= 1
            return JSONResponse({"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
                                 "parameters": {"retry_after": 1}}, status_code=429)
        if method == "sendMessage" and self.server_errors > 0:
            self.server_errors -= 1
            return JSONResponse({"ok": False, "error_code": 502, "description": "Bad Gateway"}, status_code=502)
        return JSONResponse({"ok": True, "result": self._result(method, params)})

    @staticmethod
    async def _params(request: Request) -> dict:
        if request.headers.get("content-type", "").startswith("application/json"):
            return await request.json()
        form = await request.form()
        params = {}
        for key, value in form.items():
            try:
                params[key] = json.loads(value)
            except (TypeError, ValueError):
                params[key] = value
        return params

    def _result(self, method: str, params: dict):
        if method == "getMe":
            return BOT_USER
        if method == "sendMessage":
            return {"message_id": len(self.calls) + 100, "date": int(time.time()), "from": BOT_USER,
                    "chat": {"id": int(params["chat_id"]), "type": "private"}, "text": params["text"]}
        return True
