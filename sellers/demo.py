"""Demo data for the sellers app (called by manage.py seed_demo); running it again adds nothing."""

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from sellers.models import (
    Brand,
    BrandState,
    Document,
    DocumentKind,
    DocumentReview,
    Membership,
    MembershipRole,
    Seller,
    SellerStatus,
    StatusChange,
    User,
)
from sellers.permissions import MARKET_ANALYSTS, REVIEWERS, staff_roles_sync
from sellers.validators import uscc_check_character

ADMIN_EMAIL = "admin@bozor.localhost"
ADMIN_PASSWORD = "bozor-admin"
DEMO_PASSWORD = "bozor-demo"
# One staff login per role (password DEMO_PASSWORD), to see what each may do.
STAFF_BY_ROLE = {
    REVIEWERS: ("reviewer@bozor.localhost", "Demo Reviewer"),
    MARKET_ANALYSTS: ("analyst@bozor.localhost", "Demo Market Analyst"),
}


def _uscc(body: str) -> str:
    return body + uscc_check_character(body)


# The catalogs of the demo use these brand names: keep them exactly.
DEMO_SELLERS: list[dict[str, Any]] = [
    {
        "owner": "demo1@bozor.localhost",
        "status": SellerStatus.APPROVED,
        "seller": {
            "legal_name": "Zhejiang Lanyue Home Appliances Co., Ltd.",
            "legal_name_zh": "浙江蓝月家电有限公司",
            "uscc": _uscc("91330100MA2CD1234"),
            "address": "88 Wensan Road, Xihu District, Hangzhou, Zhejiang, China",
            "uz_entity_name": "Lanyue Savdo MChJ",
            "uz_entity_stir": "305123456",
            "contact_name": "Chen Jing",
            "contact_email": "demo1@bozor.localhost",
            "contact_phone": "+8657188001234",
            "website": "https://lanyue.example.cn",
        },
        "brands": [
            ("Lanyue", "蓝月", "TM-33012345"),
            ("Jinma", "金马", "TM-33023456"),
            ("Tianxin", "天心", "TM-33034567"),
        ],
    },
    {
        "owner": "demo2@bozor.localhost",
        "status": SellerStatus.APPROVED,
        "seller": {
            "legal_name": "Shenzhen Haoyun Electronics Co., Ltd.",
            "legal_name_zh": "深圳好运电子有限公司",
            "uscc": _uscc("91440300MA5FG6789"),
            "address": "12 Keji South Road, Nanshan District, Shenzhen, Guangdong, China",
            "uz_entity_name": "Toshkent Elektron Distribyutor MChJ",
            "uz_entity_stir": "306234567",
            "contact_name": "Liu Yang",
            "contact_email": "demo2@bozor.localhost",
            "contact_phone": "+8675586001234",
            "website": "https://haoyun.example.cn",
        },
        "brands": [("Haoyun", "好运", "TM-44012345"), ("Xingchen", "星辰", "TM-44023456")],
    },
    {
        "owner": "demo3@bozor.localhost",
        "status": SellerStatus.SUBMITTED,
        "seller": {
            "legal_name": "Guangzhou Mingliang Cosmetics Co., Ltd.",
            "legal_name_zh": "广州明亮化妆品有限公司",
            "uscc": _uscc("91440101MA9HJ2468"),
            "address": "3 Tianhe Road, Tianhe District, Guangzhou, Guangdong, China",
            "uz_entity_name": "Mingliang Uz MChJ",
            "uz_entity_stir": "307345678",
            "contact_name": "Zhao Min",
            "contact_email": "demo3@bozor.localhost",
            "contact_phone": "+8620380012345",
            "website": "",
        },
        "brands": [("Mingliang", "明亮", "TM-44034567")],
    },
]


def demo_pdf(title: str) -> bytes:
    """A tiny, valid one-page PDF with the title written on it (offsets computed, not guessed)."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def _user(email: str, password: str, **extra: Any) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, **extra)
    if user.email_verified_at is None:
        # Demo logins submit and invite at once: their addresses count as confirmed.
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user


def _document(seller: Seller, owner: User, kind: str, expires_in_days: int | None) -> None:
    if seller.documents.filter(kind=kind).exists():
        return
    content = demo_pdf(f"{seller.legal_name}: {kind}")
    document = Document(
        seller=seller,
        kind=kind,
        original_name=f"{kind}.pdf",
        content_type="application/pdf",
        size=len(content),
        expires_on=(timezone.localdate() + timedelta(days=expires_in_days))
        if expires_in_days is not None
        else None,
        review_state=DocumentReview.ACCEPTED
        if seller.status == SellerStatus.APPROVED
        else DocumentReview.PENDING,
        uploaded_by=owner,
    )
    document.file.save(f"{kind}.pdf", ContentFile(content), save=False)
    document.save()


def _history(seller: Seller, owner: User, reviewer: User) -> None:
    if seller.status_history.exists():
        return
    submitted_at = timezone.now() - timedelta(days=30)
    steps = [(SellerStatus.DRAFT, SellerStatus.SUBMITTED, "", owner, submitted_at)]
    if seller.status == SellerStatus.APPROVED:
        steps.append(
            (
                SellerStatus.SUBMITTED,
                SellerStatus.APPROVED,
                "Documents verified.",
                reviewer,
                submitted_at + timedelta(days=2),
            )
        )
    for from_status, to_status, reason, by, at in steps:
        StatusChange.objects.create(
            seller=seller, from_status=from_status, to_status=to_status, reason=reason, by=by, at=at
        )
    Seller.objects.filter(pk=seller.pk).update(submitted_at=submitted_at)


@transaction.atomic
def seed(*, stdout: Any, options: dict[str, Any]) -> None:
    """An admin, a reviewer and an analyst, two approved demo sellers and one application
    waiting for review."""
    admin = User.objects.filter(email__iexact=ADMIN_EMAIL).first()
    if admin is None:
        admin = User.objects.create_superuser(
            email=ADMIN_EMAIL, password=ADMIN_PASSWORD, full_name="Bozor Operations"
        )
    for spec in DEMO_SELLERS:
        owner = _user(spec["owner"], DEMO_PASSWORD, full_name=spec["seller"]["contact_name"])
        seller = Seller.objects.filter(uscc=spec["seller"]["uscc"]).first()
        if seller is None:
            seller = Seller.objects.create(status=spec["status"], **spec["seller"])
        Membership.objects.get_or_create(
            user=owner, defaults={"seller": seller, "role": MembershipRole.OWNER}
        )
        for name, name_zh, trademark in spec["brands"]:
            Brand.objects.get_or_create(
                seller=seller,
                name__iexact=name,
                defaults={
                    "name": name,
                    "name_zh": name_zh,
                    "origin_country": "CN",
                    "trademark_number": trademark,
                    # An approved seller's brands were approved with its application.
                    "state": BrandState.APPROVED
                    if seller.status == SellerStatus.APPROVED
                    else BrandState.PENDING,
                },
            )
        _document(seller, owner, DocumentKind.BUSINESS_LICENSE, 730)
        _document(seller, owner, DocumentKind.UZ_REGISTRATION_CERTIFICATE, None)
        _document(seller, owner, DocumentKind.TRADEMARK_CERTIFICATE, 3650)
        _history(seller, owner, admin)
    stdout.write(
        f"sellers: {Seller.objects.count()} sellers, {Brand.objects.count()} brands; "
        f"brand managers {', '.join(s['owner'] for s in DEMO_SELLERS)} (password {DEMO_PASSWORD})\n"
    )
    stdout.write(f"admin login: {ADMIN_EMAIL} / {ADMIN_PASSWORD}  (/admin/)\n")
    staff_roles_sync()  # the migration made the groups; a flushed database has lost them
    for role, (email, full_name) in STAFF_BY_ROLE.items():
        user = _user(email, DEMO_PASSWORD, full_name=full_name, is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        stdout.write(f"{role.lower()} login: {email} / {DEMO_PASSWORD}  (/admin/)\n")
