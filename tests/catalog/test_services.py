"""Writes to the catalog: who may change a catalog, and products edited through the row rules.

Imports are tested end to end in test_pipeline.py and test_tasks.py, the lease in test_jobs.py.
"""

import pytest

from catalog.importing.jobs import new_lease_owner
from catalog.importing.messages import message_for
from catalog.importing.pipeline import import_job_execute
from catalog.models import ImportJob, ImportStatus, Product
from catalog.services import (
    import_job_commit,
    import_job_create,
    product_create,
    product_update,
    seller_require_approved,
)
from portal.errors import ConflictError
from sellers.models import SellerStatus
from tests.catalog.conftest import SAMPLES, upload
from tests.catalog.factories import ImportJobFactory, ProductFactory, sample_seller
from tests.catalog.factories_api import LEAF, row

pytestmark = pytest.mark.django_db
NOT_APPROVED = [
    SellerStatus.DRAFT,
    SellerStatus.SUBMITTED,
    SellerStatus.CHANGES_REQUESTED,
    SellerStatus.REJECTED,
    SellerStatus.SUSPENDED,
]
IMPORT_REFUSED = "Only approved sellers can import catalogs."
CHANGE_REFUSED = "Only approved sellers can change their catalog."


def catalog_file():
    return upload("a.csv", (SAMPLES / "catalog_utf8.csv").read_bytes())


@pytest.mark.parametrize("by_import", [True, False])
def test_it_lets_an_approved_seller_change_its_catalog(categories, by_import):
    seller_require_approved(seller=sample_seller(), by_import=by_import)


@pytest.mark.parametrize("status", NOT_APPROVED)
@pytest.mark.parametrize(
    ("by_import", "message"), [(True, IMPORT_REFUSED), (False, CHANGE_REFUSED)]
)
def test_it_refuses_a_seller_that_is_not_approved(categories, status, by_import, message):
    with pytest.raises(ConflictError) as refused:
        seller_require_approved(seller=sample_seller(status=status), by_import=by_import)
    assert refused.value.message == message


def test_it_refuses_an_import_in_the_words_the_pipeline_uses_for_a_suspended_seller(categories):
    assert message_for("seller_not_approved") == IMPORT_REFUSED


@pytest.mark.parametrize("status", [SellerStatus.SUBMITTED, SellerStatus.SUSPENDED])
def test_every_write_asks_the_same_rule(categories, status):
    seller = sample_seller()
    product = ProductFactory(seller=seller, stock=1)
    job = ImportJobFactory(seller=seller, status=ImportStatus.VALIDATED)
    seller.status = status
    seller.save()
    with pytest.raises(ConflictError, match=CHANGE_REFUSED):
        product_create(seller=seller, data=row("NEW-1", brand="Lanyue"))
    with pytest.raises(ConflictError, match=CHANGE_REFUSED):
        product_update(seller=seller, product=product, data={"stock": "5"})
    with pytest.raises(ConflictError, match=IMPORT_REFUSED):
        import_job_create(seller=seller, user=None, file=catalog_file())
    with pytest.raises(ConflictError, match=IMPORT_REFUSED):
        import_job_commit(job=ImportJob.objects.get(pk=job.pk), user=None)
    product.refresh_from_db()
    assert product.stock == 1 and Product.objects.count() == 1
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.VALIDATED


def test_the_pipeline_fails_a_job_whose_seller_was_suspended_with_the_same_message(seller):
    job, _created = import_job_create(
        seller=seller, user=None, file=catalog_file(), mode="commit", enqueue=False
    )
    seller.status = SellerStatus.SUSPENDED
    seller.save()
    import_job_execute(job_id=job.pk, owner=new_lease_owner())
    job.refresh_from_db()
    assert job.error_code == "seller_not_approved" and job.error_message == IMPORT_REFUSED


def test_a_partial_update_keeps_every_field_it_does_not_name(seller):
    product = product_create(seller=seller, data=row("SKU-1", brand="Lanyue", stock="3"))
    before = Product.objects.values().get(pk=product.pk)
    updated = product_update(seller=seller, product=product, data={"stock": "7"})
    after = Product.objects.values().get(pk=updated.pk)
    assert after["stock"] == 7
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"stock", "updated_at"}
    assert updated.category.code == LEAF
