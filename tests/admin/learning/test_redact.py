from admin.learning.redact import redact


def test_phone_numbers_emails_and_postal_codes_are_hidden():
    text = "Appelez-moi au (514) 555-1234 ou +1 438.555.9876, marie.t@example.org, H2X 1Y4"
    shown = redact(text)
    for secret in ("555-1234", "438.555.9876", "marie.t@example.org", "H2X 1Y4"):
        assert secret not in shown
    assert shown.startswith("Appelez-moi au (number)")
    assert "(email)" in shown and "(postal code)" in shown


def test_long_digit_runs_go_but_ages_and_grades_stay():
    assert redact("ma carte 123456789012 expire") == "ma carte (number) expire"
    assert redact("dossier 48213") == "dossier (number)"
    assert redact("mon fils de 15 ans en 3e année") == "mon fils de 15 ans en 3e année"
