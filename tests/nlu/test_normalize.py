"""Normalization folds spelling variants without moving any character."""

import pytest

from nlu.normalize import normalize


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("École à MONTRÉAL", "ecole a montreal"),
        ("Con tôi cần giúp đỡ", "con toi can giup do"),
        ("أريد مساعدة", "ارید مساعده"),
        ("مي\u200cخوام ۱۲", "مي خوام 12".replace("ي", "ی")),
        ("Привіт, їжа", "привіт, їжа"),
        ("孩子需要补习", "孩子需要补习"),
        ("l’école", "l'ecole"),
    ],
)
def test_folds_variants(typed, folded):
    assert normalize(typed) == folded


@pytest.mark.parametrize("text", ["ǅungla İstanbul ﬁ", "a\u0000b\u200bc", "👩‍👧 emoji", "x" * 50])
def test_length_is_preserved_so_entity_offsets_stay_valid(text):
    assert len(normalize(text)) == len(text)
