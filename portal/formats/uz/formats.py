"""Uzbek (Latin): 5-noyabr 2025 (Django's reads 5-Noyabr, 2025-yil); numbers as in Russian.

The lower-case month comes from the "alt. month" translations in portal/formats/months.py."""

DATE_FORMAT = "j-E Y"  # 5-noyabr 2025
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j-E Y, H:i"  # 5-noyabr 2025, 14:30
YEAR_MONTH_FORMAT = "F Y"  # Noyabr 2025
MONTH_DAY_FORMAT = "j-E"  # 5-noyabr
# Tables too show the month by name, as in Russian.
SHORT_DATE_FORMAT = "j-E Y"  # 5-noyabr 2025
SHORT_DATETIME_FORMAT = "j-E Y, H:i"  # 5-noyabr 2025, 14:30
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # no-break space: a figure never wraps in a narrow table cell
NUMBER_GROUPING = 3
