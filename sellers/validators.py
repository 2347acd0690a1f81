"""Pure checks for seller data: USCC (GB 32100-2015), STIR, E.164 phones, ISO country codes,
and the one spelling of an e-mail address."""

import re
import unicodedata

import idna
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# GB 32100-2015: digits and upper-case letters without I, O, S, V and Z.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_FORBIDDEN_LETTERS = "IOSVZ"
USCC_LENGTH = 18
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 3^(i-1) mod 31 for i = 1..17

_SPACES = re.compile(r"\s+")


def email_normalize(value: object) -> str:
    """The one spelling of a mailbox, used wherever an address is stored or looked up.

    NFKC (full-width letters and composed accents), the local part case-folded (`Straße` is
    `strasse`), the domain in its IDNA ASCII form through the `idna` package's UTS 46 mapping
    (IDNA 2008; Python's own "idna" codec is IDNA 2003). So `a@bücher.example`,
    `A@xn--bcher-kva.example` and a decomposed `ü` are one account. A domain IDNA refuses is
    only case-folded and left for the e-mail validator to refuse.
    """
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    local, at, domain = text.rpartition("@")
    if not at:
        return _casefold(text)
    try:
        ascii_domain = idna.encode(domain, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        ascii_domain = _casefold(domain)
    return f"{_casefold(local)}@{ascii_domain}"


def _casefold(text: str) -> str:
    # Case folding can undo NFKC (it decomposes some letters): Unicode's NFKC_Casefold.
    return unicodedata.normalize("NFKC", text.casefold())


def uscc_normalize(value: object) -> str:
    """Upper-case, every kind of space removed; anything else is kept for the checks to name."""
    return _SPACES.sub("", str(value or "")).upper()


def uscc_check_character(first17: str) -> str:
    """The 18th character for the first 17 (already normalised, all from the alphabet)."""
    if len(first17) != 17:
        raise ValueError("the USCC body has 17 characters")
    total = sum(
        USCC_ALPHABET.index(char) * weight
        for char, weight in zip(first17, USCC_WEIGHTS, strict=True)
    )
    return USCC_ALPHABET[(31 - total % 31) % 31]


def _uscc_format_errors(code: str) -> list[ValidationError]:
    errors = []
    if len(code) != USCC_LENGTH:
        errors.append(
            ValidationError(
                _("A USCC has 18 characters; this one has %(count)d.") % {"count": len(code)},
                code="uscc_length",
            )
        )
    forbidden = sorted({char for char in code if char in USCC_FORBIDDEN_LETTERS})
    if forbidden:
        errors.append(
            ValidationError(
                _(
                    "A USCC never contains the letters I, O, S, V or Z; found: %(letters)s. "
                    "Check for the digits 1, 0, 5, 2 typed as letters."
                )
                % {"letters": ", ".join(forbidden)},
                code="uscc_forbidden_letters",
            )
        )
    other = sorted(
        {char for char in code if char not in USCC_ALPHABET and char not in USCC_FORBIDDEN_LETTERS}
    )
    if other:
        errors.append(
            ValidationError(
                _("A USCC contains only digits and Latin letters; found: %(chars)s.")
                % {"chars": " ".join(other)},
                code="uscc_invalid_characters",
            )
        )
    return errors


def uscc_is_valid(code: str) -> bool:
    """True when the (normalised) code has the right format and check character."""
    code = uscc_normalize(code)
    if _uscc_format_errors(code):
        return False
    return uscc_check_character(code[:17]) == code[17]


def validate_uscc_format(value: str) -> None:
    """Length and alphabet only: staff may save a real pilot code whose check character fails."""
    errors = _uscc_format_errors(uscc_normalize(value))
    if errors:
        raise ValidationError(errors)


def validate_uscc(value: str) -> None:
    """Format and check character: what a brand manager's form and the API accept."""
    code = uscc_normalize(value)
    validate_uscc_format(code)
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _(
                "The USCC check character (the 18th) is wrong: it is %(given)s but should be "
                "%(expected)s for these first 17 characters. Check the code against the "
                "business licence."
            )
            % {"given": code[17], "expected": expected},
            code="uscc_check_character",
        )


def stir_normalize(value: object) -> str:
    return _SPACES.sub("", str(value or ""))


def validate_stir(value: str) -> None:
    """The Uzbek taxpayer number (STIR/INN): exactly 9 digits."""
    stir = stir_normalize(value)
    if not (len(stir) == 9 and stir.isascii() and stir.isdigit()):
        raise ValidationError(
            _("A STIR has exactly 9 digits, for example 301234567."), code="stir_invalid"
        )


_PHONE_SEPARATORS = re.compile(r"[\s\-().\u00a0]")
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")


def phone_normalize(value: object) -> str:
    """Spaces, dashes, dots and brackets removed; a leading 00 becomes +."""
    phone = _PHONE_SEPARATORS.sub("", str(value or ""))
    if phone.startswith("00"):
        phone = "+" + phone[2:]
    return phone


def validate_phone_e164(value: str) -> None:
    """International format: a plus, the country code and the number, 8 to 15 digits."""
    if not _E164.match(phone_normalize(value)):
        raise ValidationError(
            _(
                "Enter the phone number in international format with the country code, "
                "for example +8613812345678 or +998901234567."
            ),
            code="phone_invalid",
        )


# ISO 3166-1 alpha-2, officially assigned codes.
ISO_COUNTRY_CODES = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
    DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
    GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
    KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
    MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
    PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
    SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
    VN VU WF WS YE YT ZA ZM ZW
    """.split()
)


def country_normalize(value: object) -> str:
    return str(value or "").strip().upper()


def validate_country_code(value: str) -> None:
    """A two-letter ISO 3166-1 country code such as CN or UZ."""
    if country_normalize(value) not in ISO_COUNTRY_CODES:
        raise ValidationError(
            _("Enter a two-letter ISO 3166 country code, for example CN or UZ."),
            code="country_invalid",
        )
