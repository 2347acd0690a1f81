"""Factories for catalog products and import jobs, and the sample seller of shared/samples."""

import factory

from catalog.models import Category, ImportJob, Product
from sellers.models import Brand, Seller, SellerStatus
from tests.sellers.factories import ApprovedSellerFactory, BrandFactory

SAMPLE_BRANDS = (("Lanyue", "蓝月"), ("Jinma", "金马"), ("Tianxin", "天心"))


def sample_seller(status: str = SellerStatus.APPROVED) -> Seller:
    """A seller with the brands the sample files use: Lanyue 蓝月, Jinma 金马, Tianxin 天心."""
    seller = ApprovedSellerFactory(status=status)
    for name, name_zh in SAMPLE_BRANDS:
        BrandFactory(seller=seller, name=name, name_zh=name_zh)
    return seller


def ean13(number: int) -> str:
    body = f"69{number:010d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    seller = factory.SubFactory(ApprovedSellerFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n:06d}")
    title_uz = factory.Sequence(lambda n: f"Simsiz quloqchin model {n}")
    title_ru = factory.Sequence(lambda n: f"Беспроводные наушники модель {n}")
    brand = factory.LazyAttribute(
        lambda o: Brand.objects.filter(seller=o.seller).first() or BrandFactory(seller=o.seller)
    )
    category = factory.LazyFunction(
        lambda: Category.objects.filter(is_leaf=True).order_by("code").first()
    )
    price_uzs = 125_000
    stock = 10
    barcode = factory.Sequence(ean13)
    ikpu = "60008063608377835"
    weight_g = 350
    image_urls = factory.LazyFunction(lambda: ["https://img.example.com/1.jpg"])


class ImportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportJob

    seller = factory.SubFactory(ApprovedSellerFactory)
    file = factory.django.FileField(data=b"sku,title_uz\r\nA,B\r\n", filename="catalog.csv")
    filename = "catalog.csv"
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
