"""Messages the bot did not understand, grouped for staff, and the examples staff teach from them.

A message is listed when the bot fell back (`nlu_fallback`), found it out of scope, or
answered with low confidence. Staff see it redacted, grouped by language with a count
of identical texts; assigning an intent queues a training example (`pending`) that
enters the staff training file with the next model that passes evaluation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

from sqlalchemy import Engine, and_, or_, select, update

from admin.auth import AccountError
from admin.i18n import N_
from admin.learning.records import LearningReview
from admin.learning.redact import redact
from bot.records import ConversationTurn
from nlu.taxonomy import FALLBACK_INTENT, load_taxonomy
from resources_db.database import transaction
from resources_db.store import audit

#: Routed intents that always mean the bot could not help with what was written.
NOT_UNDERSTOOD = (FALLBACK_INTENT, "out_of_scope")
#: How many recent messages are scanned for the list.
SCAN_LIMIT = 5000
MAX_EXAMPLE_CHARS = 300
_SPACES = re.compile(r"\s+")


class ReviewError(AccountError):
    """A staff decision that cannot be recorded; `say(_)` gives the reason in the page's language."""


@dataclass
class UnrecognizedGroup:
    """Identical messages (after redaction) in one language, not yet reviewed."""

    id: str
    language: str
    text: str
    count: int = 0
    families: int = 0
    last_at: dt.datetime | None = None
    #: The bot's routed answer and the model's best guess with its confidence, for context.
    reason: str = ""
    guess: str | None = None
    confidence: float = 0.0
    turn_ids: list[int] = field(default_factory=list)
    _users: set[str] = field(default_factory=set, repr=False)


def text_key(text: str) -> str:
    """What makes two messages 'the same text': case, spacing and end punctuation aside."""
    return _SPACES.sub(" ", text).strip(" ?!.¿¡").casefold()


def group_id(language: str, text: str) -> str:
    """A stable id for a group, safe to put in a form (no message text, no user)."""
    return hashlib.sha256(f"{language}\n{text_key(text)}".encode()).hexdigest()[:16]


def clean_example(text: str) -> str:
    """One line, no Rasa entity markup, bounded length: what a staff example may hold."""
    text = _SPACES.sub(" ", text.replace("[", "(").replace("]", ")")).strip()
    if not text:
        raise ReviewError(N_("The example is empty."))
    if len(text) > MAX_EXAMPLE_CHARS:
        raise ReviewError(N_("The example is longer than {count} characters."), count=MAX_EXAMPLE_CHARS)
    return text


def unrecognized(engine: Engine, review_confidence: float) -> dict[str, list[UnrecognizedGroup]]:
    """Unreviewed messages the bot did not understand: {language: groups, most frequent first}."""
    low_confidence = and_(
        ConversationTurn.confidence < review_confidence,
        ConversationTurn.nlu_intent == ConversationTurn.intent,  # the model's reading, not a command
        ConversationTurn.intent != "crisis",
    )
    with transaction(engine) as session:
        turns = session.scalars(
            select(ConversationTurn)
            .where(ConversationTurn.direction == "in", ConversationTurn.review_id.is_(None),
                   ConversationTurn.text != "",
                   or_(ConversationTurn.intent.in_(NOT_UNDERSTOOD), low_confidence))
            .order_by(ConversationTurn.id.desc()).limit(SCAN_LIMIT)
        ).all()
    groups: dict[str, UnrecognizedGroup] = {}
    for turn in turns:
        shown = redact(turn.text).strip()
        if not shown:
            continue
        language = turn.nlu_language or turn.language or "und"
        gid = group_id(language, shown)
        group = groups.get(gid)
        if group is None:  # newest first: the group shows its latest wording and reading
            group = groups[gid] = UnrecognizedGroup(
                id=gid, language=language, text=shown, last_at=turn.at, reason=turn.intent or "",
                guess=turn.nlu_intent, confidence=round(turn.confidence or 0.0, 2))
        group.count += 1
        group._users.add(turn.user_key)
        group.families = len(group._users)
        group.turn_ids.append(turn.id)
    by_language: dict[str, list[UnrecognizedGroup]] = {}
    for group in sorted(groups.values(), key=lambda g: (-g.count, -(g.last_at.timestamp() if g.last_at else 0))):
        by_language.setdefault(group.language, []).append(group)
    return dict(sorted(by_language.items(), key=lambda item: -sum(g.count for g in item[1])))


def _find(engine: Engine, gid: str, review_confidence: float) -> UnrecognizedGroup:
    for groups in unrecognized(engine, review_confidence).values():
        for group in groups:
            if group.id == gid:
                return group
    raise ReviewError(N_("This message is no longer in the list (someone may have reviewed it already)."))


def assign(engine: Engine, gid: str, intent: str, actor: str, review_confidence: float,
           text: str | None = None, language: str | None = None) -> LearningReview:
    """Queue the group's text (or staff's edited `text`) as an example of `intent`; the group leaves the list."""
    taxonomy = load_taxonomy()
    if intent not in taxonomy.intents:
        raise ReviewError(N_("Unknown intent {intent}."), intent=intent)
    group = _find(engine, gid, review_confidence)
    language = language or group.language
    if language not in taxonomy.languages:
        raise ReviewError(N_("{language} is not a language the bot is trained in; choose one."), language=language)
    example = clean_example(text if text is not None else group.text)
    return _record(engine, group, LearningReview(language=language, text=example, intent=intent,
                                                 status="pending", decided_by=actor))


def dismiss(engine: Engine, gid: str, actor: str, review_confidence: float) -> LearningReview:
    """Take the group off the list without teaching anything (spam, noise, nothing to learn)."""
    group = _find(engine, gid, review_confidence)
    return _record(engine, group, LearningReview(language=group.language, text=group.text, intent=None,
                                                 status="dismissed", decided_by=actor))


def _record(engine: Engine, group: UnrecognizedGroup, review: LearningReview) -> LearningReview:
    review.decided_at = dt.datetime.now(dt.UTC)
    with transaction(engine) as session:
        session.add(review)
        session.flush()
        audit(session, review.decided_by, review.status, "learning_review", str(review.id), review.language,
              None, f"{review.intent}: {review.text}" if review.intent else review.text)
        session.execute(update(ConversationTurn)
                        .where(ConversationTurn.id.in_(group.turn_ids), ConversationTurn.review_id.is_(None))
                        .values(review_id=review.id))
    return review


def pending(engine: Engine, languages: list[str] | None = None) -> list[LearningReview]:
    """Examples waiting for the next retraining, oldest first."""
    query = select(LearningReview).where(LearningReview.status == "pending")
    if languages:
        query = query.where(LearningReview.language.in_(languages))
    with transaction(engine) as session:
        return list(session.scalars(query.order_by(LearningReview.id)).all())


def withdraw(engine: Engine, review_id: int, actor: str) -> None:
    """Drop a pending example before it is trained (its messages stay reviewed)."""
    with transaction(engine) as session:
        review = session.get(LearningReview, review_id)
        if review is None or review.status != "pending":
            raise ReviewError(N_("Only an example waiting for retraining can be withdrawn."))
        review.status, review.decided_by = "withdrawn", actor
        audit(session, actor, "withdraw", "learning_review", str(review_id), review.language, "pending", "withdrawn")

