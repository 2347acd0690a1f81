"""Russian: 5 ноября 2025 (Django's adds "г."); numbers 25 174 451 000,5 with a no-break space."""

DATE_FORMAT = "j E Y"  # 5 ноября 2025
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j E Y, H:i"  # 5 ноября 2025, 14:30
YEAR_MONTH_FORMAT = "F Y"  # Ноябрь 2025
# The day needs the genitive month (5 ноября): Django's "j F" gives the nominative (5 Ноябрь).
MONTH_DAY_FORMAT = "j E"  # 5 ноября
# Tables too show the month by name: 05.11.2025 reads as May to half the readers.
SHORT_DATE_FORMAT = "j E Y"  # 5 ноября 2025
SHORT_DATETIME_FORMAT = "j E Y, H:i"  # 5 ноября 2025, 14:30
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # no-break space: a figure never wraps in a narrow table cell
NUMBER_GROUPING = 3
