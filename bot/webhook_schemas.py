"""OpenAPI descriptions of the webhook bodies, which the handlers read raw (to check signatures).

They document the endpoints for operators and let the fuzz tests generate realistic bodies.
"""

from __future__ import annotations

_TEXT = {"type": "string", "maxLength": 1600}

#: The fields of Twilio's incoming-message form that the bot reads (Twilio sends more).
TWILIO_FORM = {"requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {
    "type": "object",
    "required": ["From", "MessageSid"],
    "additionalProperties": {"type": "string"},
    "properties": {"From": {"type": "string", "example": "+15145550123"}, "Body": _TEXT,
                   "MessageSid": {"type": "string", "example": "SM0123456789abcdef0123456789abcdef"}},
}}}}}

_CHAT = {"type": "object", "required": ["id", "type"],
         "properties": {"id": {"type": "integer"}, "type": {"type": "string", "enum": ["private", "group"]}}}
_USER = {"type": "object", "required": ["id", "is_bot", "first_name"],
         "properties": {"id": {"type": "integer"}, "is_bot": {"type": "boolean"}, "first_name": {"type": "string"},
                        "language_code": {"type": "string"}}}

#: A Telegram Update as the Bot API posts it (message and callback_query are the ones we act on).
TELEGRAM_UPDATE = {"requestBody": {"required": True, "content": {"application/json": {"schema": {
    "type": "object",
    "required": ["update_id"],
    "properties": {
        "update_id": {"type": "integer"},
        "message": {"type": "object", "required": ["message_id", "date", "chat"], "properties": {
            "message_id": {"type": "integer"}, "date": {"type": "integer"}, "chat": _CHAT, "from": _USER,
            "text": {"type": "string", "maxLength": 4096}}},
        "callback_query": {"type": "object", "required": ["id", "from", "chat_instance"], "properties": {
            "id": {"type": "string"}, "from": _USER, "chat_instance": {"type": "string"},
            "data": {"type": "string", "maxLength": 64}}},
    },
}}}}}
