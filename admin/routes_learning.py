"""Learning from conversations: the unrecognized-messages list, staff examples, retraining."""

from __future__ import annotations

from typing import Annotated

from babel import Locale
from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from admin.auth import Staff
from admin.i18n import N_, gettext_for
from admin.learning.fallbacks import ReviewError, assign, dismiss, pending, unrecognized, withdraw
from admin.learning.retrain import RetrainBusy
from admin.learning.services import services
from admin.web import context, page_language, redirect, render, require_role
from bot.topics import NEED_LABELS
from nlu.taxonomy import load_taxonomy
from translations.catalog import translator

router = APIRouter()
Editor = Annotated[Staff, Depends(require_role("editor"))]

NOTICES = {
    "assigned": N_("Example added. It will be used after the next successful retraining."),
    "dismissed": N_("Message removed from the list."),
    "withdrawn": N_("Example withdrawn."),
}
BUSY = N_("A retraining is already running.")
NO_PARSER = N_("Retraining is not available: this server runs without a language model.")
NO_LANGUAGE = N_("Choose at least one language to retrain.")
STAGES = {"queued": N_("Waiting to start"), "preparing": N_("Preparing"),
          "language": N_("Training the language identifier"), "training": N_("Training the model"),
          "evaluating": N_("Evaluating on held-out examples"), "installing": N_("Installing the new model"),
          "installed": N_("New model in use"), "rejected": N_("New model refused"), "failed": N_("Failed")}


def language_name(code: str, page: str) -> str:
    """A language's name in the page's language ("espagnol", "Spanish")."""
    try:
        return Locale.parse(code).get_display_name(page) or code
    except (ValueError, TypeError):
        return code


def intent_choices(page: str) -> list[tuple[str, str]]:
    """Every intent staff may assign, needs by their family-facing label, then conversation intents."""
    gettext = translator(page).gettext
    taxonomy = load_taxonomy()
    needs = [(name, f"{gettext(NEED_LABELS[name])} ({name})") for name in taxonomy.needs if name in NEED_LABELS]
    return needs + [(name, f"{name} — {description}") for name, description in taxonomy.conversation.items()]


def stage_label(stage: str, gettext) -> str:
    """`training fr` -> "Training the model (fr)"."""
    word, _, language = stage.partition(" ")
    label = gettext(STAGES.get(word, STAGES.get(stage, stage)))
    return f"{label} ({language})" if language and word in {"training", "evaluating"} else label


def _page(request: Request, status_code: int = 200, error: str | None = None, notice: str | None = None):
    admin = context(request)
    page = page_language(request)
    runner = services(request).retrainer
    waiting = pending(admin.engine)
    return render(
        request, "learning.html", status_code=status_code, error=error, notice=notice,
        groups=unrecognized(admin.engine, admin.settings.review_confidence),
        pending=waiting, pending_languages=sorted({r.language for r in waiting}),
        intents=intent_choices(page), curated=load_taxonomy().languages,
        language_name=lambda code: language_name(code, page),
        jobs=runner.recent() if runner else [], stage_label=lambda s: stage_label(s, gettext_for(page)),
        can_retrain=runner is not None,
    )


@router.get("/learning", response_class=HTMLResponse)
def learning_page(request: Request, _staff: Editor, notice: str | None = None) -> Response:
    """Messages the bot did not understand, examples waiting, and retraining."""
    return _page(request, notice=NOTICES.get(notice or ""))


@router.post("/learning/assign", response_class=HTMLResponse)
def assign_intent(request: Request, staff: Editor, group: Annotated[str, Form(max_length=32)],
                  intent: Annotated[str, Form(max_length=50)], language: Annotated[str, Form(max_length=10)],
                  text: Annotated[str, Form(max_length=2000)]) -> Response:
    """Teach the bot: this message means `intent`."""
    admin = context(request)
    try:
        assign(admin.engine, group, intent, staff.actor, admin.settings.review_confidence, text=text,
               language=language)
    except ReviewError as exc:
        return _page(request, status_code=400, error=exc.say(gettext_for(page_language(request))))
    return redirect(request, "/learning?notice=assigned")


@router.post("/learning/dismiss", response_class=HTMLResponse)
def dismiss_group(request: Request, staff: Editor, group: Annotated[str, Form(max_length=32)]) -> Response:
    """Nothing to learn from this message."""
    admin = context(request)
    try:
        dismiss(admin.engine, group, staff.actor, admin.settings.review_confidence)
    except ReviewError as exc:
        return _page(request, status_code=400, error=exc.say(gettext_for(page_language(request))))
    return redirect(request, "/learning?notice=dismissed")


@router.post("/learning/examples/{review_id}/withdraw", response_class=HTMLResponse)
def withdraw_example(request: Request, staff: Editor, review_id: int) -> Response:
    """Drop an example before it is trained."""
    try:
        withdraw(context(request).engine, review_id, staff.actor)
    except ReviewError as exc:
        return _page(request, status_code=400, error=exc.say(gettext_for(page_language(request))))
    return redirect(request, "/learning?notice=withdrawn")


@router.post("/learning/retrain", response_class=HTMLResponse)
async def retrain(request: Request, staff: Editor) -> Response:
    """Start retraining the chosen languages in the background; show its progress."""
    runner = services(request).retrainer
    if runner is None:
        return _page(request, status_code=400, error=NO_PARSER)
    form = await request.form()
    curated = load_taxonomy().languages
    languages = [code for code in form.getlist("language") if code in curated]
    if not languages:
        return _page(request, status_code=400, error=NO_LANGUAGE)
    try:
        job_id = runner.start(languages, staff.actor)
    except RetrainBusy:
        return _page(request, status_code=409, error=BUSY)
    return redirect(request, f"/learning/jobs/{job_id}")


@router.get("/learning/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, _staff: Editor, job_id: int) -> Response:
    """A retraining's progress (the page reloads itself until it is done), then its outcome."""
    runner = services(request).retrainer
    job = runner.status(job_id) if runner else None
    if job is None:
        raise HTTPException(status_code=404)
    page = page_language(request)
    return render(request, "learning_job.html", job=job, stage=stage_label(job.stage, gettext_for(page)),
                  language_name=lambda code: language_name(code, page))
