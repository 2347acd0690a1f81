"""Uzbek Cyrillic becomes the official Latin alphabet, word by word, with capitals kept."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog.transliteration import LETTERS, is_uzbek_cyrillic, uz_cyrillic_to_latin

OKINA = "\u02bb"  # MODIFIER LETTER TURNED COMMA, in oʻ and gʻ
TUTUQ = "\u02bc"  # MODIFIER LETTER APOSTROPHE, for ъ

# Real words and product-title phrases with their spelling in the official Latin alphabet.
WORDS = [
    # product titles
    ("Аёллар учун қишки пальто", "Ayollar uchun qishki palto"),
    ("Болалар ўйинчоғи", "Bolalar oʻyinchogʻi"),
    ("Симсиз қулоқчин", "Simsiz quloqchin"),
    ("Ёзги кўйлак", "Yozgi koʻylak"),
    ("Эркаклар кроссовкаси", "Erkaklar krossovkasi"),
    ("Ошхона учун пичоқ тўплами", "Oshxona uchun pichoq toʻplami"),
    ("Аёллар сумкаси", "Ayollar sumkasi"),
    ("Болалар пойабзали", "Bolalar poyabzali"),
    ("Эркаклар учун қўл соати", "Erkaklar uchun qoʻl soati"),
    ("Телефон учун ғилоф", "Telefon uchun gʻilof"),
    ("Қишки куртка", "Qishki kurtka"),
    ("Чанг ютгич", "Chang yutgich"),
    ("Кир ювиш машинаси", "Kir yuvish mashinasi"),
    ("Электр чойнак", "Elektr choynak"),
    ("Соч қуритгич", "Soch quritgich"),
    ("Спорт кийимлари", "Sport kiyimlari"),
    ("Ёғоч қошиқ", "Yogʻoch qoshiq"),
    ("Ўйинчоқ машина", "Oʻyinchoq mashina"),
    ("Тез етказиб бериш", "Tez yetkazib berish"),
    ("Сифатли маҳсулот", "Sifatli mahsulot"),
    ("Ишлаб чиқарувчи: Хитой", "Ishlab chiqaruvchi: Xitoy"),
    ("Ранги: қора, оқ, кўк", "Rangi: qora, oq, koʻk"),
    ("Музлаткич", "Muzlatkich"),
    ("Қўлқоп", "Qoʻlqop"),
    # places
    ("Ўзбекистон", "Oʻzbekiston"),
    ("Тошкент", "Toshkent"),
    ("Самарқанд", "Samarqand"),
    ("Фарғона", "Fargʻona"),
    ("Хоразм", "Xorazm"),
    ("Қорақалпоғистон", "Qoraqalpogʻiston"),
    # everyday words
    ("шаҳар", "shahar"),
    ("тоғ", "togʻ"),
    ("ғишт", "gʻisht"),
    ("жўжа", "joʻja"),
    ("ҳаво", "havo"),
    ("хона", "xona"),
    ("ҳаёт", "hayot"),
    ("дунё", "dunyo"),
    ("юлдуз", "yulduz"),
    ("янги", "yangi"),
    ("мева", "meva"),
    ("кеча", "kecha"),
    # е: ye at the start of a word and after a vowel, ъ or ь
    ("ер", "yer"),
    ("етти", "yetti"),
    ("поезд", "poyezd"),
    ("пьеса", "pyesa"),
    ("телефон", "telefon"),
    # ъ: the tutuq belgisi U+02BC
    ("маъно", "maʼno"),
    ("шеър", "sheʼr"),
    ("эълон", "eʼlon"),
    ("таъсир", "taʼsir"),
    ("меъёр", "meʼyor"),
    # ь dropped, and y before о
    ("пальто", "palto"),
    ("бульон", "bulyon"),
    ("павильон", "pavilyon"),
    # ц: s at the start, after a consonant and at the end; ts after a vowel inside the root
    ("цирк", "sirk"),
    ("цемент", "sement"),
    ("концерт", "konsert"),
    ("станция", "stansiya"),
    ("реакция", "reaksiya"),
    ("Франция", "Fransiya"),
    ("абзац", "abzas"),
    ("кварц", "kvars"),
    ("шприц", "shpris"),
    ("абзацлар", "abzaslar"),
    ("антициклон", "antisiklon"),
    ("милиция", "militsiya"),
    ("глицерин", "glitserin"),
    ("лицей", "litsey"),
    ("Лицензия", "Litsenziya"),
    ("сертификация", "sertifikatsiya"),
    ("пицца", "pitsa"),
    # Russian-only letters in loans
    ("борщ", "borsh"),
    ("вымпел", "vimpel"),
]

CAPITALS = [
    ("Шаҳар", "Shahar"),
    ("ШАҲАР", "SHAHAR"),
    ("Ўзбекистон", "Oʻzbekiston"),
    ("ЎЗБЕКИСТОН", "OʻZBEKISTON"),
    ("Ёш", "Yosh"),
    ("ЁШ", "YOSH"),
    ("Чой", "Choy"),
    ("ЧОЙ", "CHOY"),
    ("ТОШ", "TOSH"),
    ("ҚЎЛ", "QOʻL"),
    ("ЁҒОЧ", "YOGʻOCH"),
    ("Ғалла", "Gʻalla"),
    ("ҒАЛЛА", "GʻALLA"),
    ("Ер", "Yer"),
    ("ЕР", "YER"),
    ("ЯНГИ ЙИЛ", "YANGI YIL"),
    ("Юлдуз", "Yulduz"),
    ("ЦИРК", "SIRK"),
    ("ЛИЦЕЙ", "LITSEY"),
    ("МАЪНО", "MAʼNO"),
    ("ЧЕГИРМА 50%", "CHEGIRMA 50%"),
    ("Ш", "Sh"),
    ("Ш. Рашидов", "Sh. Rashidov"),
    ("ЁЗГИ КЎЙЛАК", "YOZGI KOʻYLAK"),
    ("ЎҒИЛ", "OʻGʻIL"),
    ("Ўғил", "Oʻgʻil"),
    ("ОШХОНА УЧУН ПИЧОҚ", "OSHXONA UCHUN PICHOQ"),
    ("Янги ЙИЛ совғаси", "Yangi YIL sovgʻasi"),
]

MIXED = [
    ("Xiaomi Redmi Note 13 смартфони, 8/256 ГБ", "Xiaomi Redmi Note 13 smartfoni, 8/256 GB"),
    ("iPhone 15 учун ғилоф", "iPhone 15 uchun gʻilof"),
    ("小米 симсиз қулоқчин", "小米 simsiz quloqchin"),
    ("Пальто (қора), 42-44 ўлчам!", "Palto (qora), 42-44 oʻlcham!"),
    ("«Ёзги» кўйлак — 100% пахта", "«Yozgi» koʻylak — 100% paxta"),
    ("5 ер", "5 yer"),
    ("кўк-ерли", "koʻk-yerli"),
    ("биринчи\nиккинчи\tучинчи", "birinchi\nikkinchi\tuchinchi"),
    ("", ""),
]

LATIN = [
    "Oʻzbekiston",
    "Ayollar uchun qishki palto",
    "Toshkent shahri, 2026",
    "SHAHAR",
    "Xiaomi Redmi Note 13 Pro 8/256 GB",
    "小米无线耳机",
]


@pytest.mark.parametrize("cyrillic, latin", WORDS)
def test_it_spells_uzbek_words_in_the_official_latin_alphabet(cyrillic, latin):
    assert uz_cyrillic_to_latin(cyrillic) == latin


def test_the_table_has_at_least_forty_real_words_and_phrases():
    assert len(WORDS) >= 40


@pytest.mark.parametrize("cyrillic, latin", CAPITALS)
def test_it_keeps_capitals_in_capitalised_and_all_caps_words(cyrillic, latin):
    assert uz_cyrillic_to_latin(cyrillic) == latin


@pytest.mark.parametrize("text, latin", MIXED)
def test_it_leaves_latin_digits_punctuation_and_chinese_untouched(text, latin):
    assert uz_cyrillic_to_latin(text) == latin


@pytest.mark.parametrize("text", LATIN)
def test_it_returns_latin_text_unchanged(text):
    assert uz_cyrillic_to_latin(text) == text


def test_it_writes_o_and_g_with_the_turned_comma_and_the_hard_sign_with_the_apostrophe():
    assert uz_cyrillic_to_latin("ўғъ") == f"o{OKINA}g{OKINA}{TUTUQ}"
    assert "'" not in uz_cyrillic_to_latin("Ўзбекистон ғишт маъно")
    assert "\u2018" not in uz_cyrillic_to_latin("Ўзбекистон ғишт")


@pytest.mark.parametrize("cyrillic, latin", WORDS + CAPITALS + MIXED)
def test_it_is_idempotent(cyrillic, latin):
    assert uz_cyrillic_to_latin(uz_cyrillic_to_latin(cyrillic)) == latin


def test_every_letter_of_the_uzbek_cyrillic_alphabet_has_a_latin_form():
    alphabet = "абвгдеёжзийклмнопрстуфхцчшъьэюяўқғҳ"
    assert set(alphabet) - set(LETTERS) == set("ець")  # decided by their neighbours
    assert not is_uzbek_cyrillic(uz_cyrillic_to_latin(alphabet + alphabet.upper()))


uzbek_cyrillic_text = st.text(
    alphabet=st.sampled_from(
        list("абвгдеёжзийклмнопрстуфхцчшъьэюяўқғҳАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЪЬЭЮЯЎҚҒҲ 0123,.-")
    ),
    max_size=40,
)


@given(uzbek_cyrillic_text)
def test_no_cyrillic_letter_survives(text):
    latin = uz_cyrillic_to_latin(text)
    assert not is_uzbek_cyrillic(latin)
    assert uz_cyrillic_to_latin(latin) == latin


@given(st.text(alphabet=st.characters(exclude_categories=("Cs",), max_codepoint=0x3FF)))
def test_text_without_cyrillic_is_returned_as_it_is(text):
    assert uz_cyrillic_to_latin(text) == text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Шаҳар", True),
        ("Simsiz quloqchin", False),
        ("Oʻzbekiston", False),
        ("iPhone 15 ғилоф", True),
        ("Беспроводные наушники", True),
        ("小米无线耳机", False),
        ("12345 -", False),
        ("", False),
        (None, False),
    ],
)
def test_it_tells_cyrillic_text_from_latin(text, expected):
    assert is_uzbek_cyrillic(text) is expected
