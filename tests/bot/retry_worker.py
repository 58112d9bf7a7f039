"""A stand-in server process for the concurrency tests: kept small so that spawning it is quick."""

from __future__ import annotations

import multiprocessing
import time

from bot.outbox import Outbox
from bot.records import ConversationTurn
from resources_db.database import make_engine, transaction


def deliver(url: str, results) -> None:
    """One server process receiving Twilio's webhook for message SM-retry."""
    engine = make_engine(url)

    def produce() -> str:
        with transaction(engine) as session:
            session.add(ConversationTurn(user_key="k", channel="sms", direction="in", text="bonjour"))
        time.sleep(0.3)  # slow enough that the copies overlap
        return f"answered by {multiprocessing.current_process().name}"

    results.put(tuple(Outbox(engine).once("sms", "SM-retry", "k", produce)))
    engine.dispose()
