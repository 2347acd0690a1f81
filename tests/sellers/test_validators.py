"""USCC (GB 32100-2015), STIR, E.164 phones and ISO country codes."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from sellers.validators import (
    USCC_ALPHABET,
    email_normalize,
    uscc_check_character,
    uscc_is_valid,
    uscc_normalize,
    validate_country_code,
    validate_phone_e164,
    validate_stir,
    validate_uscc,
    validate_uscc_format,
)


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("914403001922038216", True),
        ("91110000600037341L", True),
        ("91110000600037341l", True),  # lower case is upper-cased
        ("9144 0300 1922 0382 16", True),  # spaces are stripped
        (" 91110000600037341L\n", True),
        ("914403001922038217", False),  # wrong check character
        ("91110000600037341M", False),
        ("91440300192203821", False),  # 17 characters
        ("9144030019220382160", False),  # 19 characters
        ("", False),
        ("91440300192203821I", False),  # I is not in the alphabet
        ("9144030019220382O6", False),
        ("91440300192203821S", False),
        ("91440300192203821V", False),
        ("91440300192203821Z", False),
        ("9144030019220382-6", False),
        ("９１４４０３００１９２２０３８２１６", False),  # full-width digits
    ],
)
def test_it_checks_a_uscc(code, valid):
    assert uscc_is_valid(code) is valid


@pytest.mark.parametrize(
    ("first17", "check"),
    [("91440300192203821", "6"), ("91110000600037341", "L"), ("00000000000000000", "0")],
)
def test_it_computes_the_check_character(first17, check):
    assert uscc_check_character(first17) == check


@pytest.mark.parametrize(
    ("value", "normalised"),
    [
        ("9144 0300 1922 0382 16", "914403001922038216"),
        ("91110000600037341l", "91110000600037341L"),
    ],
)
def test_it_normalises_a_uscc(value, normalised):
    assert uscc_normalize(value) == normalised


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91440300192203821", "A USCC has 18 characters; this one has 17."),
        ("9I4403001922038216", "found: I"),
        ("914403001922038217", "it is 7 but should be 6"),
        ("9144030019220382#6", "only digits and Latin letters; found: #"),
    ],
)
def test_it_says_what_is_wrong_with_a_uscc(code, message):
    with pytest.raises(ValidationError) as caught:
        validate_uscc(code)
    assert message in " ".join(caught.value.messages)


def test_it_lets_staff_save_a_pilot_code_that_fails_only_the_check():
    validate_uscc_format("91110000600037341M")  # does not raise
    with pytest.raises(ValidationError):
        validate_uscc("91110000600037341M")
    with pytest.raises(ValidationError):
        validate_uscc_format("91110000600037341")


uscc_bodies = st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17)


@given(body=uscc_bodies)
def test_it_accepts_every_body_with_its_computed_check_character(body):
    code = body + uscc_check_character(body)
    assert uscc_is_valid(code)
    validate_uscc(code)


@given(
    body=uscc_bodies,
    position=st.integers(min_value=0, max_value=17),
    replacement=st.sampled_from(USCC_ALPHABET),
)
def test_it_refuses_a_code_with_any_one_character_changed(body, position, replacement):
    code = body + uscc_check_character(body)
    if code[position] == replacement:
        replacement = USCC_ALPHABET[(USCC_ALPHABET.index(replacement) + 1) % 31]
    changed = code[:position] + replacement + code[position + 1 :]
    assert not uscc_is_valid(changed)


@pytest.mark.parametrize(
    ("stir", "valid"),
    [
        ("301234567", True),
        ("301 234 567", True),
        ("30123456", False),
        ("3012345678", False),
        ("30123456a", False),
        ("٣٠١٢٣٤٥٦٧", False),  # Arabic-Indic digits are not ASCII digits
        ("", False),
    ],
)
def test_it_checks_a_stir(stir, valid):
    if valid:
        validate_stir(stir)
    else:
        with pytest.raises(ValidationError, match="9 digits"):
            validate_stir(stir)


@pytest.mark.parametrize(
    ("phone", "valid"),
    [
        ("+8613812345678", True),
        ("+998901234567", True),
        ("+86 138-1234-5678", True),
        ("+998 (90) 123 45 67", True),
        ("008613812345678", True),
        ("8613812345678", False),
        ("+0123456789", False),
        ("+86", False),
        ("+8613812345678901", False),
        ("+86 138 1234 567x", False),
        ("", False),
    ],
)
def test_it_checks_an_e164_phone(phone, valid):
    if valid:
        validate_phone_e164(phone)
    else:
        with pytest.raises(ValidationError, match="international format"):
            validate_phone_e164(phone)


@pytest.mark.parametrize(
    ("code", "valid"),
    [("CN", True), ("uz", True), (" ru ", True), ("XX", False), ("CHN", False), ("", False)],
)
def test_it_checks_a_country_code(code, valid):
    if valid:
        validate_country_code(code)
    else:
        with pytest.raises(ValidationError, match="ISO 3166"):
            validate_country_code(code)


# E-mail addresses: one spelling per mailbox

DECOMPOSED_U = "u\u0308"  # "u" followed by a combining diaeresis: looks like "ü"


@pytest.mark.parametrize(
    "spelling",
    [
        "a@bücher.example",
        "a@xn--bcher-kva.example",
        f"a@b{DECOMPOSED_U}cher.example",
        "A@BÜCHER.EXAMPLE",
        " a@Xn--Bcher-Kva.Example ",
        "ａ@bücher.example",  # a full-width "a", as a Chinese input method types it
    ],
)
def test_row_33_every_spelling_of_one_mailbox_normalises_to_the_same_address(spelling):
    assert email_normalize(spelling) == "a@xn--bcher-kva.example"


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        (" Li@Example.CN ", "li@example.cn"),
        ("Straße@example.de", "strasse@example.de"),  # case folding, not only lower-casing
        (f"m{DECOMPOSED_U}ller@example.de", "müller@example.de"),
        ("wang@公司.cn", "wang@xn--55qx5d.cn"),
        ("not-an-address", "not-an-address"),
        ("bad@exa_mple.com", "bad@exa_mple.com"),  # left for the validator to refuse
        ("", ""),
    ],
)
def test_row_33_it_normalises_an_address(raw, normal):
    assert email_normalize(raw) == normal


@given(st.emails())
def test_row_33_normalising_twice_changes_nothing(address):
    once = email_normalize(address)
    assert email_normalize(once) == once
    assert email_normalize(address.upper()) == email_normalize(address.lower())
