"""Several server threads and processes at once: one family's messages never interleave,
and a platform's retry or duplicate is never processed twice (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import func, select
from telegram import Update

from bot.channels.telegram import TelegramBot
from bot.identity import user_key
from bot.messages import IncomingMessage
from bot.outbox import Outbox
from bot.records import ConversationTurn, FamilyStateRow, ProcessedMessage
from bot.server import create_app
from bot.settings import Settings
from resources_db.database import transaction
from resources_db.serial import serialized
from tests.bot.channels.fake_telegram import FakeBotApi
from tests.bot.channels.test_telegram import TOKEN, payload
from tests.bot.retry_worker import deliver


def count(engine, model) -> int:
    with transaction(engine) as session:
        return session.scalar(select(func.count()).select_from(model))


def test_two_mores_sent_at_once_page_on_instead_of_repeating(dialogue):
    """Without the family's lock both would read the same page offset and show the same resources."""
    first = dialogue.handle(IncomingMessage("web", "family-paging", "j'ai besoin d'aide pour la nourriture"))
    assert first.intent == "food_aid" and first.resources
    barrier = threading.Barrier(2)

    def more():
        barrier.wait()
        return dialogue.handle(IncomingMessage("web", "family-paging", "PLUS"))

    with ThreadPoolExecutor(2) as pool:
        pages = [{card.id for card in reply.resources} for reply in pool.map(lambda _: more(), range(2))]
    seen = {card.id for card in first.resources}
    assert pages[0] or pages[1], "the second page has resources"
    assert pages[0].isdisjoint(pages[1]) and seen.isdisjoint(pages[0] | pages[1])


def test_concurrent_read_modify_write_under_one_key_loses_nothing(engine):
    """Eight threads each add 1 to a family's counter, with a pause between read and write."""
    key = "family:counter"
    with transaction(engine) as session:
        session.add(FamilyStateRow(user_key=key, channel="web", context={"n": 0}))

    def increment(_):
        with serialized(engine, key) as session:
            row = session.get(FamilyStateRow, key)
            value = row.context["n"]
            time.sleep(0.05)
            row.context = {"n": value + 1}

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(increment, range(8)))
    with transaction(engine) as session:
        assert session.get(FamilyStateRow, key).context == {"n": 8}


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_one_family_waiting_does_not_hold_up_another(engine):
    """On PostgreSQL the lock is per family (SQLite has a single write lock by design)."""
    holding, release = threading.Event(), threading.Event()

    def hold_family_a():
        with serialized(engine, "family:a"):
            holding.set()
            release.wait(10)

    holder = threading.Thread(target=hold_family_a)
    holder.start()
    try:
        assert holding.wait(10)
        started = time.monotonic()
        with serialized(engine, "family:b") as session:
            session.add(FamilyStateRow(user_key="b", channel="web", context={}))
        assert time.monotonic() - started < 2
    finally:
        release.set()
        holder.join()


def test_a_failure_midway_leaves_nothing_half_applied(dialogue, seeded_engine):
    """The turn, the family's state and the stored answer are one transaction."""
    outbox = Outbox(seeded_engine)
    family = user_key("sms", "+15145550100", "test-salt")

    def answer_then_fail() -> str:
        dialogue.handle(IncomingMessage("sms", "+15145550100", "STOP"))
        raise RuntimeError("connection lost before the answer was stored")

    with pytest.raises(RuntimeError):
        outbox.once("sms", "SM-half", family, answer_then_fail)
    assert count(seeded_engine, ConversationTurn) == 0
    assert count(seeded_engine, ProcessedMessage) == 0
    # Twilio's retry is then processed as a first delivery.
    retried = outbox.once("sms", "SM-half", family,
                          lambda: dialogue.handle(IncomingMessage("sms", "+15145550100", "STOP")).text)
    assert retried.first
    with transaction(seeded_engine) as session:
        assert session.get(FamilyStateRow, family).opted_out


def test_a_twilio_retry_reaching_three_processes_is_processed_once(engine):
    spawn = multiprocessing.get_context("spawn")
    results = spawn.Queue()
    url = engine.url.render_as_string(hide_password=False)
    workers = [spawn.Process(target=deliver, args=(url, results), name=f"worker-{i}")
               for i in range(3)]
    for worker in workers:
        worker.start()
    answers = [results.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    assert len({response for response, _first in answers}) == 1, "every copy gets the first answer"
    assert sorted(first for _response, first in answers) == [False, False, True]
    assert count(engine, ConversationTurn) == 1
    assert count(engine, ProcessedMessage) == 1


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_one_message_id_from_two_numbers_at_once_keeps_the_answer_stored_first(seeded_engine, dialogue):
    """Two families hold two different locks, so both may answer the same MessageSid at once
    (only on PostgreSQL: SQLite has one writer). The answer committed first stands; the
    other family's turn is rolled back whole, and its copy gets the stored answer."""
    outbox = Outbox(seeded_engine)
    producing, other_done = threading.Event(), threading.Event()

    def slow(number: str) -> str:
        reply = dialogue.handle(IncomingMessage("sms", number, "necesito comida para mis hijos")).text
        producing.set()
        assert other_done.wait(30)
        return reply

    with ThreadPoolExecutor(1) as pool:
        late = pool.submit(outbox.once, "sms", "SM-shared", user_key("sms", "+15145550111", dialogue.salt),
                           lambda: slow("+15145550111"))
        assert producing.wait(30)
        first = outbox.once("sms", "SM-shared", user_key("sms", "+15145550122", dialogue.salt),
                            lambda: dialogue.handle(IncomingMessage("sms", "+15145550122", "Bonjour")).text)
        other_done.set()
        second = late.result(timeout=30)
    assert first.first and not second.first
    assert second.response == first.response, "the copy gets the answer stored first"
    assert count(seeded_engine, ProcessedMessage) == 1
    with transaction(seeded_engine) as session:
        keys = set(session.scalars(select(ConversationTurn.user_key)))
    assert keys == {user_key("sms", "+15145550122", dialogue.salt)}, "the late family's turn left no trace"


def test_a_telegram_update_delivered_to_two_workers_is_answered_once(dialogue, live_server):
    fake = FakeBotApi(TOKEN)
    update = payload("telegram_message_ar.json")

    async def two_workers() -> None:
        applications = [TelegramBot(dialogue).build(TOKEN, fake.url) for _ in range(2)]
        for application in applications:
            await application.initialize()
        try:
            await asyncio.gather(*(a.process_update(Update.de_json(update, a.bot)) for a in applications))
        finally:
            for application in applications:
                await application.shutdown()

    with live_server(fake.app) as server:
        fake.url = server.url
        asyncio.run(two_workers())
    assert len(fake.sent()) == 1
    assert count(dialogue.store.engine, ConversationTurn) == 2  # one in, one out


def test_more_families_than_turn_threads_wait_their_turn_and_are_all_answered(dialogue, live_server, monkeypatch):
    """TURN_THREADS bounds the turns one process runs at once; the other messages queue, none is dropped."""
    running, most = 0, 0
    lock = threading.Lock()
    handle = dialogue.handle

    def slow_handle(message):
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        try:
            time.sleep(0.05)  # long enough that all the requests below overlap
            return handle(message)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(dialogue, "handle", slow_handle)
    questions = ["j'ai besoin d'aide pour la nourriture", "my son needs a computer for school",
                 "necesito ayuda con las tareas de mi hijo"] * 4

    async def all_at_once(url: str) -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            return await asyncio.gather(*(
                client.post("/api/chat", json={"user_id": f"family-{i:03d}", "text": text})
                for i, text in enumerate(questions)))

    with live_server(create_app(Settings(id_salt="test-salt", turn_threads=2), dialogue)) as server:
        responses = asyncio.run(all_at_once(server.url))
    assert [r.status_code for r in responses] == [200] * len(questions)
    assert [r.json()["intent"] for r in responses] == ["food_aid", "computer_access", "homework_help"] * 4
    assert [r.json()["language"] for r in responses] == ["fr", "en", "es"] * 4
    assert most == 2, "two turns at a time, as TURN_THREADS says"
