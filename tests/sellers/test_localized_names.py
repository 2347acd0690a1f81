"""The brand manager reads the company's and the brands' Chinese names in the Chinese UI."""

import pytest

from sellers.models import SellerStatus
from tests.sellers.factories import seller_with_owner


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [("zh-hans", "浙江蓝月家电有限公司", "Zhejiang Lanyue"), ("en", "Zhejiang Lanyue", None)],
)
def test_the_dashboard_names_the_company_in_the_readers_language(client, language, shown, hidden):
    seller, user = seller_with_owner(status=SellerStatus.APPROVED)
    seller.legal_name = "Zhejiang Lanyue Home Appliances Co., Ltd."
    seller.legal_name_zh = "浙江蓝月家电有限公司"
    seller.save()
    client.force_login(user)
    html = client.get("/dashboard/", headers={"Accept-Language": language}).content.decode()
    assert html.count(shown) >= 2  # the top bar and the heading
    if hidden:
        assert hidden not in html
    assert str(seller) == "Zhejiang Lanyue Home Appliances Co., Ltd."  # staff pages keep it
