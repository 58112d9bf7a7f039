"""The preview page (editors): what a family sees for a need, language and channel."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from admin.auth import Staff
from admin.content import need_choices
from admin.preview import CHANNELS, preview
from admin.web import context, page_language, render, require_role
from bot.keywords import native_name
from nlu.taxonomy import load_taxonomy
from translations.catalog import is_rtl

router = APIRouter()


@router.get("/preview", response_class=HTMLResponse)
async def preview_page(request: Request, _staff: Annotated[Staff, Depends(require_role("editor"))],
                       need: str = "", language: str = "fr", channel: str = "sms") -> Response:
    """Choose a need, a language and a channel; see the bot's real answer laid out for it."""
    taxonomy = load_taxonomy()
    language = language if language in taxonomy.languages else "fr"
    channel = channel if channel in CHANNELS else "sms"
    result = None
    if need in taxonomy.needs:
        result = await run_in_threadpool(preview, context(request).dialogue, need, language, channel)
    return render(request, "preview.html", needs=need_choices(page_language(request)), need=need,
                  language=language, channel=channel, channels=CHANNELS, result=result, rtl=is_rtl(language),
                  languages_curated=[(code, native_name(code)) for code in taxonomy.languages])
