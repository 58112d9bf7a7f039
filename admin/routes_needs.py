"""The needs dashboard: counts for the school–community partnership committee, and the CSV."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from admin.auth import Staff
from admin.i18n import N_, gettext_for
from admin.learning.charts import bar_chart
from admin.learning.dashboard import NOT_UNDERSTOOD_NEED, asks, by_week, tally, to_csv
from admin.routes_learning import language_name
from admin.web import context, page_language, render, require_role
from bot.topics import NEED_LABELS
from translations.catalog import translator

router = APIRouter()
Editor = Annotated[Staff, Depends(require_role("editor"))]
Weeks = Annotated[int, Query(ge=1, le=104)]

NOT_UNDERSTOOD_LABEL = N_("Not understood")
UNMET = N_("families with no resource given")
MET = N_("families given resources")
CHANNELS = {"web": N_("Web chat"), "telegram": "Telegram", "sms": "SMS", "console": N_("Console")}


def _range(weeks: int) -> tuple[dt.date, dt.date]:
    today = dt.date.today()
    monday = today - dt.timedelta(days=today.weekday())
    return monday - dt.timedelta(weeks=weeks - 1), today


@router.get("/needs", response_class=HTMLResponse)
def needs_page(request: Request, _staff: Editor, weeks: Weeks = 12) -> Response:
    """What families asked for, by need, language, channel and week, unmet needs first."""
    page = page_language(request)
    gettext, family_words = gettext_for(page), translator(page).gettext
    since, until = _range(weeks)
    rows = asks(context(request).engine, since, until)
    need_names = {name: family_words(label) for name, label in NEED_LABELS.items()}
    need_names[NOT_UNDERSTOOD_NEED] = gettext(NOT_UNDERSTOOD_LABEL)
    sections = []
    for key, title, names in (
        (lambda a: a.need, N_("By need"), need_names),
        (lambda a: a.language, N_("By language"), None),
        (lambda a: a.channel, N_("By channel"), {k: gettext(v) for k, v in CHANNELS.items()}),
    ):
        tallies = tally(rows, key)
        labels = names if names is not None else {t.name: language_name(t.name, page) for t in tallies}
        sections.append({"title": title, "tallies": tallies, "labels": labels,
                         "chart": bar_chart(tallies, gettext(title), labels, gettext(UNMET), gettext(MET))})
    weekly = by_week(rows)
    return render(request, "needs.html", sections=sections, weekly=weekly, weeks=weeks, since=since, until=until,
                  total_families=len({a.family for a in rows}), total_messages=len(rows),
                  weekly_chart=bar_chart(weekly, gettext(N_("By week")), {}, gettext(UNMET), gettext(MET)))


@router.get("/needs.csv")
def needs_csv(_staff: Editor, request: Request, weeks: Weeks = 12) -> Response:
    """The counts per week, need, language and channel, for a spreadsheet."""
    since, until = _range(weeks)
    body = to_csv(asks(context(request).engine, since, until))
    return Response(body, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="familybot-needs-{since}-{until}.csv"'})
