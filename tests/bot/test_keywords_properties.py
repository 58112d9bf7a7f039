"""Keyword matching (STOP, MORE, option numbers) for anything a family may type."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.keywords import STOP_WORDS, carrier_keyword, is_more, option_number

ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60))
def test_any_text_is_read_without_error(text):
    number = option_number(text)
    assert number is None or 0 <= number <= 99
    assert carrier_keyword(text) in {None, "stop", "start", "help"}
    assert is_more(text) in {True, False}


@settings(max_examples=200, deadline=None)
@given(number=st.integers(1, 99), prefix=st.sampled_from(["", "#", " "]), suffix=st.sampled_from(["", ".", ")", " "]),
       arabic=st.booleans())
def test_option_numbers_as_families_type_them(number, prefix, suffix, arabic):
    digits = str(number)
    if arabic:
        digits = "".join(ARABIC_INDIC[int(d)] for d in digits)
    assert option_number(f"{prefix}{digits}{suffix}") == number


@settings(max_examples=200, deadline=None)
@given(word=st.sampled_from(sorted(STOP_WORDS)), case=st.sampled_from([str.upper, str.lower, str.title]),
       around=st.sampled_from(["", " ", "!", ".", "  \n"]))
def test_stop_in_any_case_and_punctuation_is_stop(word, case, around):
    assert carrier_keyword(f"{around}{case(word)}{around}") == "stop"


@settings(max_examples=200, deadline=None)
@given(word=st.sampled_from(sorted(STOP_WORDS)), rest=st.text(alphabet="abcdefghij ", min_size=3, max_size=30)
       .filter(lambda r: r.strip()))
def test_a_sentence_containing_stop_is_not_an_opt_out(word, rest):
    assert carrier_keyword(f"{word} {rest.strip()}") is None
