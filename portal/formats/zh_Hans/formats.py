"""Simplified Chinese: 2025年11月5日; numbers grouped by thousands (25,174,451,000).

Django's module groups by nothing (an empty separator), so a so'm figure read 25174451000, and
its month-day form zero-pads the month (09月5日)."""

DATE_FORMAT = "Y年n月j日"  # 2025年11月5日
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "Y年n月j日 H:i"  # 2025年11月5日 14:30
YEAR_MONTH_FORMAT = "Y年n月"  # 2025年11月
MONTH_DAY_FORMAT = "n月j日"  # 11月5日
SHORT_DATE_FORMAT = "Y年n月j日"  # 2025年11月5日
SHORT_DATETIME_FORMAT = "Y年n月j日 H:i"  # 2025年11月5日 14:30
DECIMAL_SEPARATOR = "."
# Mainland usage (and CLDR) groups money by thousands with a comma, not by 万.
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
