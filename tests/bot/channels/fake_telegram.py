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


def _is_chat_id(value: object) -> bool:
    return isinstance(value, int) or (isinstance(value, str) and value.lstrip("-").isdigit())


class FakeBotApi:
    """Records every method call (and when); can refuse the first sendMessage calls.

    `throttle` calls get 429 with `retry_after`, then `server_errors` calls get 502, then
    `bad_requests` calls get 400, as the real Bot API answers them.
    """

    def __init__(self, token: str, throttle: int = 0, server_errors: int = 0, retry_after: int = 1,
                 bad_requests: int = 0):
        self.token = token
        self.calls: list[tuple[str, dict]] = []
        self.times: list[float] = []
        self.throttle, self.server_errors, self.retry_after = throttle, server_errors, retry_after
        self.bad_requests = bad_requests
        self.app = Starlette(routes=[Route("/bot{token}/{method}", self.endpoint, methods=["POST", "GET"])])

    def sent(self, method: str = "sendMessage") -> list[dict]:
        return [params for name, params in self.calls if name == method]

    async def endpoint(self, request: Request) -> JSONResponse:
        if request.path_params["token"] != self.token:
            return JSONResponse({"ok": False, "error_code": 401, "description": "Unauthorized"}, status_code=401)
        method = request.path_params["method"]
        params = await self._params(request)
        self.calls.append((method, params))
        self.times.append(time.monotonic())
        if method == "sendMessage" and not _is_chat_id(params.get("chat_id")):
            return JSONResponse({"ok": False, "error_code": 400, "description": "Bad Request: chat not found"},
                                status_code=400)
        if method == "sendMessage" and self.throttle > 0:
            self.throttle -= 1
            return JSONResponse({"ok": False, "error_code": 429,
                                 "description": f"Too Many Requests: retry after {self.retry_after}",
                                 "parameters": {"retry_after": self.retry_after}}, status_code=429)
        if method == "sendMessage" and self.server_errors > 0:
            self.server_errors -= 1
            return JSONResponse({"ok": False, "error_code": 502, "description": "Bad Gateway"}, status_code=502)
        if method == "sendMessage" and self.bad_requests > 0:
            self.bad_requests -= 1
            return JSONResponse({"ok": False, "error_code": 400, "description": "Bad Request: message is too long"},
                                status_code=400)
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
