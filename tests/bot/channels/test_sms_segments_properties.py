"""Properties of SMS segment counting and splitting, for any text a reply could hold."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels.sms_segments import count_segments, is_gsm7, smart_encode, split_for_sms

GSM_TEXT = st.text(alphabet=st.sampled_from(list("abcdefghij XYZ.,'\n€[]{}àéü0123")), max_size=1500)
ANY_TEXT = st.text(max_size=1500)
TEXTS = st.one_of(GSM_TEXT, ANY_TEXT, st.lists(st.sampled_from(["Bonjour ", "مرحبا ", "😀", "€", "\n\n", "food "]),
                                                max_size=400).map("".join))


@settings(max_examples=150, deadline=None)
@given(text=TEXTS, max_segments=st.integers(1, 4), reserve=st.integers(0, 40))
def test_every_part_fits_and_nothing_is_lost(text, max_segments, reserve):
    parts = split_for_sms(text, max_segments, reserve)
    assert all(part.strip() for part in parts), "no empty message is sent"
    assert all(count_segments(part).segments <= max_segments for part in parts)
    assert "".join("".join(parts).split()) == "".join(text.split()), "every character arrives, in order"


@settings(max_examples=150, deadline=None)
@given(text=TEXTS)
def test_segment_count_matches_the_carriers_arithmetic(text):
    count = count_segments(text)
    assert count.encoding == ("GSM-7" if is_gsm7(text) else "UCS-2")
    single, multi = (160, 153) if count.encoding == "GSM-7" else (70, 67)
    if not text:
        assert count.segments == 0
    elif count.units <= single:
        assert count.segments == 1
    else:
        assert (count.segments - 1) * multi < count.units <= count.segments * multi


@settings(max_examples=150, deadline=None)
@given(text=ANY_TEXT, language=st.sampled_from(["fr", "en", "es", "ht", "ar", "zh", "uk"]))
def test_smart_encoding_never_costs_more(text, language):
    encoded = smart_encode(text, language)
    assert count_segments(encoded).segments <= count_segments(text).segments or not is_gsm7(encoded)
    assert smart_encode(encoded, language) == encoded, "encoding twice changes nothing more"
