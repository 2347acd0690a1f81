"""The onboarding services: the status flow, editing rules, submission, documents, members."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from portal.errors import ConflictError
from sellers import accounts, selectors, services
from sellers.forms import BrandFormSet
from sellers.models import (
    MAX_BRANDS,
    Document,
    DocumentKind,
    Membership,
    Seller,
    SellerStatus,
    StatusChange,
)
from tests.sellers.factories import (
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    DocumentFactory,
    SellerFactory,
    StaffFactory,
    UserFactory,
    seller_with_owner,
)

pytestmark = pytest.mark.django_db

S = SellerStatus
ALL = list(S)
ALLOWED = {
    (S.DRAFT, S.SUBMITTED),
    (S.SUBMITTED, S.APPROVED),
    (S.SUBMITTED, S.REJECTED),
    (S.SUBMITTED, S.CHANGES_REQUESTED),
    (S.CHANGES_REQUESTED, S.SUBMITTED),
    (S.APPROVED, S.SUSPENDED),
    (S.SUSPENDED, S.APPROVED),
}
REFUSED = [(a, b) for a in ALL for b in ALL if (a, b) not in ALLOWED]


def named_file(name: str, content: bytes) -> io.BytesIO:
    handle = io.BytesIO(content)
    handle.name = name
    return handle


@pytest.mark.parametrize(("from_status", "to_status"), sorted(ALLOWED))
def test_it_allows_the_transitions_of_the_design(
    from_status, to_status, django_capture_on_commit_callbacks
):
    seller, owner = seller_with_owner(status=from_status)
    seller.documents.update(review_state="accepted")  # an approval needs them accepted
    staff = StaffFactory()
    by = owner if to_status == S.SUBMITTED else staff
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        result = services.seller_transition(
            seller=seller, to_status=to_status, by=by, reason="Because."
        )
    assert result.status == to_status
    seller.refresh_from_db()
    assert seller.status == to_status
    change = StatusChange.objects.get(seller=seller)
    assert (change.from_status, change.to_status, change.reason, change.by) == (
        from_status,
        to_status,
        "Because.",
        by,
    )
    assert change.at >= before
    if to_status == S.SUBMITTED:
        assert seller.submitted_at >= before
    assert [message.to for message in mail.outbox] == [[owner.email]]


@pytest.mark.parametrize(("from_status", "to_status"), REFUSED)
def test_it_refuses_every_other_transition_with_a_conflict(from_status, to_status):
    seller, _owner = seller_with_owner(status=from_status)
    with pytest.raises(ConflictError):
        services.seller_transition(
            seller=seller, to_status=to_status, by=StaffFactory(), reason="Because."
        )
    seller.refresh_from_db()
    assert seller.status == from_status
    assert not StatusChange.objects.exists()


@pytest.mark.parametrize(
    ("from_status", "decide"),
    [
        (S.SUBMITTED, services.seller_approve),
        (S.SUSPENDED, services.seller_approve),
        (S.SUBMITTED, services.seller_reject),
        (S.SUBMITTED, services.seller_request_changes),
        (S.APPROVED, services.seller_suspend),
    ],
)
@pytest.mark.parametrize("reason", ["", "   "])
def test_it_requires_a_reason_for_every_staff_decision(from_status, decide, reason):
    seller, _owner = seller_with_owner(status=from_status)
    with pytest.raises(ValidationError) as caught:
        decide(seller=seller, by=StaffFactory(), reason=reason)
    assert "reason" in caught.value.message_dict
    seller.refresh_from_db()
    assert seller.status == from_status


def test_it_lets_only_staff_decide():
    seller, owner = seller_with_owner(status=S.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.seller_approve(seller=seller, by=owner, reason="Me.")
    seller.refresh_from_db()
    assert seller.status == S.SUBMITTED


def test_it_records_the_whole_history_in_order(django_capture_on_commit_callbacks):
    seller, owner = seller_with_owner()
    staff = StaffFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.seller_submit(seller=seller, user=owner)
        services.seller_request_changes(seller=seller, by=staff, reason="Colour scan, please.")
        services.seller_submit(seller=seller, user=owner)
        seller.documents.update(review_state="accepted")  # reviewed before the approval
        services.seller_approve(seller=seller, by=staff, reason="All in order.")
        services.seller_suspend(seller=seller, by=staff, reason="Counterfeit complaint.")
        services.seller_approve(seller=seller, by=staff, reason="Resolved.")
    history = list(seller.status_history.values_list("from_status", "to_status", "reason"))
    assert history == [
        ("draft", "submitted", ""),
        ("submitted", "changes_requested", "Colour scan, please."),
        ("changes_requested", "submitted", ""),
        ("submitted", "approved", "All in order."),
        ("approved", "suspended", "Counterfeit complaint."),
        ("suspended", "approved", "Resolved."),
    ]
    assert len(mail.outbox) == 6
    assert "Colour scan, please." in mail.outbox[1].body


def test_it_sends_nothing_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    seller, _owner = seller_with_owner(status=S.SUBMITTED)
    seller.documents.update(review_state="accepted")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.seller_approve(seller=seller, by=StaffFactory(), reason="All in order.")
    assert len(callbacks) == 1  # sent only after the commit
    assert mail.outbox == []


def test_it_writes_to_every_member_in_their_own_language(django_capture_on_commit_callbacks):
    seller, owner = seller_with_owner(status=S.SUBMITTED)
    member = UserFactory(preferred_language="ru")
    Membership.objects.create(user=member, seller=seller, role="member")
    with django_capture_on_commit_callbacks(execute=True):
        services.seller_request_changes(seller=seller, by=StaffFactory(), reason="Fix the STIR.")
    assert sorted(message.to[0] for message in mail.outbox) == sorted([owner.email, member.email])
    assert all("Fix the STIR." in message.body for message in mail.outbox)
    assert translation.get_language() == "en"  # the override does not leak


@pytest.mark.parametrize(
    "to_status", [S.SUBMITTED, S.APPROVED, S.REJECTED, S.CHANGES_REQUESTED, S.SUSPENDED]
)
def test_it_has_an_email_for_each_decision(to_status, django_capture_on_commit_callbacks):
    from sellers.emails import seller_status_email_send

    seller, owner = seller_with_owner(status=S.SUBMITTED)
    change = StatusChange.objects.create(
        seller=seller, from_status=S.SUBMITTED, to_status=to_status, reason="The reason."
    )
    seller_status_email_send(seller=seller, change=change)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert seller.legal_name not in message.subject  # seller-typed text stays out of subjects
    assert seller.legal_name in message.body
    assert "\n" not in message.subject
    assert "&amp;" not in message.body and "&#" not in message.body
    if to_status in (S.REJECTED, S.CHANGES_REQUESTED, S.SUSPENDED):
        assert "The reason." in message.body


# Editing


@pytest.mark.parametrize(
    ("status", "editable"),
    [
        (S.DRAFT, True),
        (S.CHANGES_REQUESTED, True),
        (S.SUBMITTED, False),
        (S.APPROVED, False),
        (S.REJECTED, False),
        (S.SUSPENDED, False),
    ],
)
def test_it_allows_editing_only_drafts_and_requested_changes(status, editable):
    seller, owner = seller_with_owner(status=status)
    edits = [
        lambda: services.seller_update(seller=seller, user=owner, data={"contact_name": "New"}),
        lambda: services.brands_set(seller=seller, user=owner, brands=[{"name": "New"}]),
    ]
    # An approved seller still uploads documents: renewals, reviewed on their own (issue 11).
    uploads = editable or status == S.APPROVED
    try:
        services.document_upload(
            seller=seller,
            user=owner,
            kind=DocumentKind.TRADEMARK_CERTIFICATE,
            file=named_file("tm.pdf", PDF_BYTES),
        )
    except ConflictError:
        assert not uploads
    else:
        assert uploads
    for edit in edits:
        if editable:
            edit()
        else:
            with pytest.raises(ConflictError, match="draft"):
                edit()
    seller.refresh_from_db()
    assert (seller.contact_name == "New") is editable
    assert seller.brands.filter(name="New").exists() is editable
    assert seller.documents.filter(kind="trademark_certificate").exists() is uploads


def test_it_refuses_edits_by_someone_outside_the_seller():
    seller, _owner = seller_with_owner()
    with pytest.raises(PermissionDenied):
        services.seller_update(seller=seller, user=UserFactory(), data={"contact_name": "X"})


def test_it_refuses_a_uscc_another_seller_has():
    SellerFactory(uscc="914403001922038216")
    seller, owner = seller_with_owner()
    with pytest.raises(ValidationError) as caught:
        services.seller_update(seller=seller, user=owner, data={"uscc": "9144 0300 1922 0382 16"})
    assert caught.value.message_dict["uscc"] == ["A seller with this USCC is already registered."]


def test_it_keeps_its_own_uscc_on_save():
    seller, owner = seller_with_owner()
    services.seller_update(seller=seller, user=owner, data={"uscc": seller.uscc.lower()})


def test_it_reports_every_invalid_field_at_once():
    seller, owner = seller_with_owner()
    with pytest.raises(ValidationError) as caught:
        services.seller_update(
            seller=seller,
            user=owner,
            data={"uscc": "123", "uz_entity_stir": "1", "contact_phone": "1", "website": "x"},
        )
    assert set(caught.value.message_dict) == {
        "uscc",
        "uz_entity_stir",
        "contact_phone",
        "website",
    }


@pytest.mark.parametrize(
    ("brands", "message"),
    [
        ([{"name": ""}], "Brand 1: enter the brand name."),
        ([{"name": "A"}, {"name": "a"}], "Brand 2: a is listed twice."),
        ([{"name": "A", "origin_country": "XX"}], "Brand 1: Enter a two-letter ISO 3166"),
        ([{"name": "A" * 101}], "Brand 1: the name has at most 100 characters."),
    ],
)
def test_it_names_the_brand_that_is_wrong(brands, message):
    seller, owner = seller_with_owner(brands=["Lanyue"])
    with pytest.raises(ValidationError) as caught:
        services.brands_set(seller=seller, user=owner, brands=brands)
    assert any(m.startswith(message) for m in caught.value.message_dict["brands"])
    assert list(seller.brands.values_list("name", flat=True)) == ["Lanyue"]


# Submission


def test_it_lists_everything_missing_on_submit():
    seller, owner = seller_with_owner(brands=[], documents=False)
    seller.legal_name_zh = ""
    seller.contact_phone = ""
    seller.save()
    with pytest.raises(ValidationError) as caught:
        services.seller_submit(seller=seller, user=owner)
    missing = caught.value.message_dict
    assert set(missing) == {"legal_name_zh", "contact_phone", "brands", "documents"}
    assert missing["documents"] == [
        "Upload the business licence.",
        "Upload the registration certificate of the Uzbek selling entity.",
    ]
    seller.refresh_from_db()
    assert seller.status == S.DRAFT


def test_it_needs_both_required_documents():
    seller, owner = seller_with_owner(documents=False)
    DocumentFactory(seller=seller, kind=DocumentKind.BUSINESS_LICENSE)
    with pytest.raises(ValidationError) as caught:
        services.seller_submit(seller=seller, user=owner)
    assert caught.value.message_dict == {
        "documents": ["Upload the registration certificate of the Uzbek selling entity."]
    }


@pytest.mark.parametrize("status", [S.SUBMITTED, S.APPROVED, S.REJECTED, S.SUSPENDED])
def test_it_refuses_to_submit_from_a_status_that_cannot(status):
    seller, owner = seller_with_owner(status=status)
    with pytest.raises(ConflictError):
        services.seller_submit(seller=seller, user=owner)


def test_it_shows_the_checklist_of_next_steps():
    seller, owner = seller_with_owner(documents=False)
    checklist = {item["key"]: item["done"] for item in selectors.seller_checklist(seller=seller)}
    assert checklist == {
        "company": True,
        "uz_entity": True,
        "contact": True,
        "brands": True,
        "business_license": False,
        "uz_registration_certificate": False,
        "submitted": False,
        "approved": False,
    }


# Documents


@pytest.mark.parametrize(
    ("content", "content_type", "extension"),
    [
        (PDF_BYTES, "application/pdf", ".pdf"),
        (JPEG_BYTES, "image/jpeg", ".jpg"),
        (PNG_BYTES, "image/png", ".png"),
    ],
)
def test_it_stores_a_document_by_its_content(content, content_type, extension):
    seller, owner = seller_with_owner(documents=False)
    document = services.document_upload(
        seller=seller, user=owner, kind="business_license", file=named_file("scan.bin", content)
    )
    assert document.content_type == content_type
    assert document.file.name.endswith(extension)
    assert document.original_name == "scan.bin"
    with document.file.open("rb") as handle:
        assert handle.read() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("licence.pdf", b"<!DOCTYPE html><html><script>alert(1)</script>"),
        ("licence.pdf", b"PK\x03\x04 a zip"),
        ("licence.png", b"GIF89a"),
        ("licence.pdf", b"%PDF"),  # too short to be the PDF signature
    ],
)
def test_it_refuses_content_that_is_not_pdf_jpeg_or_png(name, content):
    seller, owner = seller_with_owner(documents=False)
    with pytest.raises(ValidationError) as caught:
        services.document_upload(
            seller=seller, user=owner, kind="business_license", file=named_file(name, content)
        )
    assert "PDF, JPEG or PNG" in caught.value.message_dict["file"][0]
    assert not Document.objects.exists()


def test_it_refuses_a_document_over_the_limit(settings):
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    seller, owner = seller_with_owner(documents=False)
    with pytest.raises(ValidationError, match="larger than 1 MB"):
        services.document_upload(
            seller=seller,
            user=owner,
            kind="business_license",
            file=named_file("big.pdf", PDF_BYTES + b"0" * 1024 * 1024),
        )
    assert not Document.objects.exists()


def test_it_refuses_an_unknown_kind_and_an_expired_document():
    seller, owner = seller_with_owner(documents=False)
    with pytest.raises(ValidationError) as caught:
        services.document_upload(
            seller=seller,
            user=owner,
            kind="passport",
            file=named_file("x.pdf", PDF_BYTES),
            expires_on=timezone.localdate() - timedelta(days=1),
        )
    assert set(caught.value.message_dict) == {"kind", "expires_on"}


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\scans\\执照.pdf", "执照.pdf"),
        ("evil\u202egpj.pdf", "evilgpj.pdf"),
        ("line\nbreak.pdf", "linebreak.pdf"),
        ("", "document"),
    ],
)
def test_it_keeps_a_safe_display_name_and_a_generated_stored_name(name, shown):
    seller, owner = seller_with_owner(documents=False)
    document = services.document_upload(
        seller=seller, user=owner, kind="business_license", file=named_file(name, PDF_BYTES)
    )
    assert document.original_name == shown
    assert document.file.name.startswith(f"documents/{seller.pk}/")
    assert len(document.file.name.rsplit("/", 1)[1]) == len("0" * 32 + ".pdf")


@pytest.mark.parametrize(
    ("days_left", "flagged"), [(-1, True), (0, True), (59, True), (60, False), (365, False)]
)
def test_it_flags_a_business_licence_that_expires_within_60_days(days_left, flagged):
    seller, _owner = seller_with_owner(documents=False)
    DocumentFactory(
        seller=seller,
        kind=DocumentKind.BUSINESS_LICENSE,
        expires_on=timezone.localdate() + timedelta(days=days_left),
    )
    assert seller.licence_expires_soon is flagged
    listed = selectors.seller_list_for_ops().get(pk=seller.pk)
    assert listed.licence_expiring is flagged


def test_it_does_not_flag_other_kinds_of_documents():
    seller, _owner = seller_with_owner(documents=False)
    document = DocumentFactory(
        seller=seller,
        kind=DocumentKind.TRADEMARK_CERTIFICATE,
        expires_on=timezone.localdate() + timedelta(days=3),
    )
    assert document.expires_soon is False
    assert seller.licence_expires_soon is False


def test_it_records_a_document_review_with_a_reason_for_rejection():
    seller, _owner = seller_with_owner()
    document = seller.documents.first()
    staff = StaffFactory()
    with pytest.raises(ValidationError):
        services.document_review(document=document, by=staff, state="rejected", reason="")
    services.document_review(document=document, by=staff, state="rejected", reason="Blurry.")
    document.refresh_from_db()
    assert (document.review_state, document.review_reason) == ("rejected", "Blurry.")


def test_it_finds_documents_only_within_the_seller():
    first, _owner = seller_with_owner()
    second, _other = seller_with_owner()
    document = first.documents.first()
    assert selectors.document_get(seller=first, id=document.pk) == document
    from django.http import Http404

    for bad_id in [document.pk, "abc", None, 10**12]:
        with pytest.raises(Http404):
            selectors.document_get(seller=second, id=bad_id)


# Accounts and members


def test_it_registers_a_user_with_a_lower_cased_email_and_language():
    user = accounts.user_register(
        email=" Li@Example.CN ", password="a-long-passphrase", language="zh-hans"
    )
    assert user.email == "li@example.cn"
    assert user.preferred_language == "zh-hans"
    assert user.check_password("a-long-passphrase")


def test_it_invites_a_member_who_accepts_with_the_same_email(django_capture_on_commit_callbacks):
    seller, owner = seller_with_owner()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.member_invite(seller=seller, by=owner, email="Wang@Example.cn")
    assert mail.outbox[0].to == ["wang@example.cn"]
    assert seller.legal_name not in mail.outbox[0].subject
    assert seller.legal_name in mail.outbox[0].body
    wang = UserFactory(email="wang@example.cn")
    membership = services.invitation_accept(token=invitation.token, user=wang)
    assert (membership.seller, membership.role) == (seller, "member")
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    with pytest.raises(ValidationError):
        services.invitation_accept(token=invitation.token, user=wang)  # used once only


def test_it_lets_only_the_owner_invite():
    seller, owner = seller_with_owner()
    member = UserFactory()
    Membership.objects.create(user=member, seller=seller, role="member")
    with pytest.raises(PermissionDenied):
        services.member_invite(seller=seller, by=member, email="x@example.cn")


def test_it_refuses_an_invitation_for_someone_else_or_expired():
    seller, owner = seller_with_owner()
    invitation = services.member_invite(seller=seller, by=owner, email="wang@example.cn")
    with pytest.raises(PermissionDenied, match="wang@example.cn"):
        services.invitation_accept(token=invitation.token, user=UserFactory())
    invitation.created_at = timezone.now() - timedelta(days=15)
    invitation.save()
    with pytest.raises(ValidationError, match="no longer valid"):
        services.invitation_accept(
            token=invitation.token, user=UserFactory(email="wang@example.cn")
        )
    with pytest.raises(ValidationError):
        services.invitation_accept(token="not-a-token", user=owner)


def test_it_refuses_to_invite_someone_who_already_belongs_to_a_seller():
    seller, owner = seller_with_owner()
    _other_seller, other_owner = seller_with_owner()
    with pytest.raises(ValidationError):
        services.member_invite(seller=seller, by=owner, email=other_owner.email)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_lets_only_one_of_two_simultaneous_decisions_win():
    """select_for_update: two reviewers deciding at once give one change and one conflict."""
    import threading

    from django.db import connection

    seller, _owner = seller_with_owner(status=S.SUBMITTED)
    first_reviewer, second_reviewer = StaffFactory(), StaffFactory()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(reviewer, decide_fn, reason):
        try:
            barrier.wait(timeout=10)
            decide_fn(seller=Seller.objects.get(pk=seller.pk), by=reviewer, reason=reason)
            outcomes.append("done")
        except ConflictError:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=decide, args=(first_reviewer, services.seller_approve, "In order.")
        ),
        threading.Thread(
            target=decide, args=(second_reviewer, services.seller_reject, "Wrong licence.")
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "done"]
    assert StatusChange.objects.filter(seller=seller).count() == 1


def test_it_keeps_a_pilot_code_staff_saved_while_the_seller_edits_other_fields():
    seller, owner = seller_with_owner(status=S.CHANGES_REQUESTED)
    seller.uscc = "91110000600037341M"  # saved by staff in admin; fails the check character
    seller.save()
    services.seller_update(
        seller=seller, user=owner, data={"uscc": "91110000600037341M", "contact_name": "New"}
    )
    seller.refresh_from_db()
    assert (seller.uscc, seller.contact_name) == ("91110000600037341M", "New")
    with pytest.raises(ValidationError):
        services.seller_update(seller=seller, user=owner, data={"uscc": "91110000600037342M"})


def test_row_43_the_brand_cap_is_the_html_forms_cap():
    assert BrandFormSet.max_num == MAX_BRANDS == 50
    seller, owner = seller_with_owner(brands=["Lanyue"])
    too_many = [{"name": f"Brand {number}"} for number in range(MAX_BRANDS + 1)]
    with pytest.raises(ValidationError) as refused:
        services.brands_set(seller=seller, user=owner, brands=too_many)
    assert "brands" in refused.value.message_dict
    assert list(seller.brands.values_list("name", flat=True)) == ["Lanyue"]
