"""The learning pages' long-lived helpers, built once per admin app."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from fastapi import Request

from admin.learning.retrain import Retrainer
from admin.web import context
from bot.channels.outbound import OutboundSender

_LOCK = threading.Lock()


@dataclass
class LearningServices:
    """The retraining job runner (None when the bot runs without a parser) and the outbound sender."""

    retrainer: Retrainer | None
    sender: OutboundSender


def services(request: Request) -> LearningServices:
    """This admin app's services, created on first use."""
    state = request.app.state
    with _LOCK:
        if getattr(state, "learning", None) is None:
            admin = context(request)
            settings, parser = admin.settings, admin.dialogue.parser
            retrainer = None
            if parser is not None:
                retrainer = Retrainer(admin.engine, parser, parser.staff_dir or settings.staff_nlu_dir,
                                      settings.nlu_eval_dir, settings.retrain_max_drop)
            state.learning = LearningServices(retrainer, OutboundSender(settings, admin.engine))
        return state.learning
