"""The seller forms parse input and call the validators; they hold no rules of their own."""

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from sellers.forms import (
    BRAND_PREFIX,
    DocumentUploadForm,
    SellerApplicationForm,
    SignupForm,
    brand_formset,
    inline_field_errors,
)
from sellers.validators import USCC_ALPHABET, uscc_check_character


def formset_data(rows: list[dict[str, str]], *, initial: int = 0) -> dict[str, str]:
    data = {
        f"{BRAND_PREFIX}-TOTAL_FORMS": str(len(rows)),
        f"{BRAND_PREFIX}-INITIAL_FORMS": str(initial),
        f"{BRAND_PREFIX}-MIN_NUM_FORMS": "0",
        f"{BRAND_PREFIX}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{BRAND_PREFIX}-{index}-{key}"] = value
    return data


@pytest.mark.parametrize(
    ("value", "cleaned"),
    [
        ("914403001922038216", "914403001922038216"),
        ("91110000600037341L", "91110000600037341L"),
        ("91110000600037341l", "91110000600037341L"),
        (" 9144 0300 1922 0382 16 ", "914403001922038216"),
        ("", ""),
    ],
)
def test_it_accepts_and_normalises_a_valid_uscc(value, cleaned):
    form = SellerApplicationForm(data={"uscc": value})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["uscc"] == cleaned


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("91110000600037341K", "should be L"),
        ("914403001922038217", "should be 6"),
        ("9144030019220382", "18 characters"),
        ("9144030019220382160", "18 characters"),
        ("91440300192203821O", "I, O, S, V or Z"),
        ("91440300-922038216", "only digits and Latin letters"),
    ],
)
def test_it_refuses_an_invalid_uscc_with_the_validators_message(value, message):
    form = SellerApplicationForm(data={"uscc": value})
    assert not form.is_valid()
    assert message in " ".join(form.errors["uscc"])


@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17))
def test_it_accepts_any_code_whose_check_character_is_right(body):
    code = body + uscc_check_character(body)
    form = SellerApplicationForm(data={"uscc": code.lower()})
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("field", "value", "cleaned"),
    [
        ("uz_entity_stir", " 301 234 567 ", "301234567"),
        ("contact_phone", "+86 138-1234-5678", "+8613812345678"),
        ("contact_phone", "00998901234567", "+998901234567"),
        ("website", "lanyue.example.cn", "https://lanyue.example.cn"),
        ("contact_email", "li@example.cn", "li@example.cn"),
    ],
)
def test_it_normalises_what_people_type(field, value, cleaned):
    form = SellerApplicationForm(data={field: value})
    assert form.is_valid(), form.errors
    assert form.cleaned_data[field] == cleaned


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("uz_entity_stir", "30123456"),
        ("uz_entity_stir", "30123456a"),
        ("contact_phone", "13812345678"),
        ("contact_phone", "+0123456789"),
        ("contact_email", "li@"),
        ("website", "not a url"),
    ],
)
def test_it_refuses_bad_contact_and_entity_values(field, value):
    form = SellerApplicationForm(data={field: value})
    assert not form.is_valid()
    assert field in form.errors


def test_it_lets_a_draft_leave_every_field_empty():
    form = SellerApplicationForm(data={})
    assert form.is_valid(), form.errors


def test_it_groups_the_fields_in_the_sections_of_the_application():
    sections = SellerApplicationForm().sections()
    names = [[field.name for field in fields] for _title, fields in sections]
    assert names == [
        ["legal_name", "legal_name_zh", "uscc", "address"],
        ["uz_entity_name", "uz_entity_stir"],
        ["contact_name", "contact_email", "contact_phone", "website"],
    ]


def test_it_gives_the_validators_message_in_chinese():
    with translation.override("zh-hans"):
        errors, checked = inline_field_errors(name="uscc", data={"uscc": "91110000600037341K"})
    assert checked
    assert len(errors) == 1


@pytest.mark.parametrize(
    ("name", "data", "expected_errors", "checked"),
    [
        ("uscc", {"uscc": "91110000600037341K"}, 1, True),
        ("uscc", {"uscc": "91110000600037341L"}, 0, True),
        ("uscc", {"uscc": "   "}, 0, False),
        ("brands-2-origin_country", {"brands-2-origin_country": "ZZ"}, 1, True),
        ("brands-2-origin_country", {"brands-2-origin_country": "kz"}, 0, True),
        ("brands-2-DELETE", {"brands-2-DELETE": "on"}, 0, False),
        ("csrfmiddlewaretoken", {"csrfmiddlewaretoken": "x"}, 0, False),
        ("", {}, 0, False),
    ],
)
def test_it_checks_one_input_at_a_time(name, data, expected_errors, checked):
    errors, was_checked = inline_field_errors(name=name, data=data)
    assert len(errors) == expected_errors
    assert was_checked is checked


def test_it_reports_only_the_asked_field():
    data = {"uscc": "bad", "uz_entity_stir": "91440300192203821"}
    errors, _checked = inline_field_errors(name="uz_entity_stir", data=data)
    assert errors == ["A STIR has exactly 9 digits, for example 301234567."]


def test_it_turns_the_brand_rows_into_what_the_service_takes():
    rows = [
        {"name": "Lanyue", "name_zh": "蓝月", "origin_country": "cn", "trademark_number": "1"},
        {"name": "Old", "name_zh": "", "origin_country": "CN", "DELETE": "on"},
        {"name": "", "name_zh": "", "origin_country": "CN", "trademark_number": ""},
    ]
    formset = brand_formset(data=formset_data(rows))
    assert formset.is_valid(), formset.errors
    assert formset.brands() == [
        {"name": "Lanyue", "name_zh": "蓝月", "origin_country": "CN", "trademark_number": "1"}
    ]


def test_it_asks_for_a_name_in_a_started_brand_row():
    rows = [{"name": "", "name_zh": "蓝月", "origin_country": "CN"}]
    formset = brand_formset(data=formset_data(rows))
    assert not formset.is_valid()
    assert "name" in formset.forms[0].errors


def test_it_refuses_a_bad_origin_country_in_a_brand_row():
    rows = [{"name": "Lanyue", "origin_country": "China"}]
    formset = brand_formset(data=formset_data(rows))
    assert not formset.is_valid()
    assert "origin_country" in formset.forms[0].errors


def test_it_shows_one_empty_brand_row_on_a_first_visit():
    formset = brand_formset()
    assert len(formset.forms) == 1
    assert formset.forms[0]["origin_country"].value() == "CN"


@pytest.mark.django_db
def test_it_shows_one_row_per_stored_brand():
    from tests.sellers.factories import seller_with_owner

    seller, _user = seller_with_owner(brands=["A", "B"])
    formset = brand_formset(seller=seller)
    assert [form.initial["name"] for form in formset.forms] == ["A", "B"]


@pytest.mark.parametrize(
    ("data", "valid"),
    [
        ({"password1": "x-long-unusual-pass-9", "password2": "x-long-unusual-pass-9"}, True),
        ({"password1": "x-long-unusual-pass-9", "password2": "x-long-unusual-pass-8"}, False),
        ({"password1": "password", "password2": "password"}, False),
    ],
)
def test_it_checks_the_password_twice(data, valid):
    form = SignupForm(data={"email": "li@example.cn", "language": "en"} | data)
    assert form.is_valid() is valid


def test_it_offers_the_portal_languages_with_the_active_one_chosen():
    with translation.override("zh-hans"):
        form = SignupForm()
    assert form.fields["language"].initial == "zh-hans"
    codes = [code for code, _name in form.fields["language"].choices]
    assert codes == ["en", "zh-hans", "ru", "uz"]


def test_it_lowers_the_sign_up_e_mail():
    form = SignupForm(
        data={
            "email": "Li@Example.CN",
            "password1": "x-long-unusual-pass-9",
            "password2": "x-long-unusual-pass-9",
            "language": "en",
        }
    )
    assert form.is_valid()
    assert form.cleaned_data["email"] == "li@example.cn"


def test_it_requires_a_kind_and_a_file_for_an_upload():
    form = DocumentUploadForm(data={}, files={})
    assert not form.is_valid()
    assert set(form.errors) == {"kind", "file"}
