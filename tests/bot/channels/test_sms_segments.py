"""Segment counting as carriers bill it."""

import pytest

from bot.channels.sms_segments import count_segments, split_for_sms


@pytest.mark.parametrize(("text", "encoding", "segments"), [
    ("Hello", "GSM-7", 1),
    ("a" * 160, "GSM-7", 1),
    ("a" * 161, "GSM-7", 2),
    ("é" * 160, "GSM-7", 1),  # é is in GSM-7
    ("€" * 80, "GSM-7", 1),  # € costs two septets
    ("€" * 81, "GSM-7", 2),
    ("ê" * 70, "UCS-2", 1),  # ê is not: the whole message becomes UCS-2
    ("ê" * 71, "UCS-2", 2),
    ("مرحبا" * 14, "UCS-2", 1),
    ("你好" * 36, "UCS-2", 2),
    ("😀" * 35, "UCS-2", 1),  # an emoji is two UTF-16 units
])
def test_count(text, encoding, segments):
    result = count_segments(text)
    assert (result.encoding, result.segments) == (encoding, segments)


@pytest.mark.parametrize("unit", ["Bonjour, voici de l'aide pour vous. ", "مرحبا بكم في البرنامج. ", "你好，这是帮助。"])
def test_split_keeps_every_part_within_three_segments_and_loses_nothing(unit):
    text = unit * 60
    parts = split_for_sms(text, max_segments=3, reserve=30)
    assert all(count_segments(p).segments <= 3 for p in parts)
    assert "".join(parts).replace(" ", "") == text.strip().replace(" ", "")


def test_short_text_is_one_part():
    assert split_for_sms("Reply 1 for food") == ["Reply 1 for food"]


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("Aquí hay ayuda: llame al 2-1-1.", "es", "Aqui hay ayuda: llame al 2-1-1."),
    ("Ça coûte « rien » – vraiment…", "fr", "Ça coute \" rien \" - vraiment..."),
    ("Đây là thông tin", "vi", "Đây là thông tin"),  # Vietnamese needs its diacritics
    ("مرحبا \u20661-800-668-6868\u2069", "ar", "مرحبا 1-800-668-6868"),
])
def test_smart_encoding(text, language, expected):
    from bot.channels.sms_segments import smart_encode

    assert smart_encode(text, language) == expected
