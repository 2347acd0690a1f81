"""The default selling seasons of a year and their names in the four UI languages."""

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class SeasonDefault:
    code: str
    name_en: str
    name_ru: str
    name_uz: str
    name_zh: str


DEFAULTS = (
    SeasonDefault("new_year", "New Year", "Новый год", "Yangi yil", "新年"),
    SeasonDefault("womens_day", "Women's Day (8 March)", "8 Марта", "8-mart", "三八妇女节"),
    SeasonDefault("navruz", "Navruz", "Навруз", "Navro'z", "纳吾肉孜节"),
    SeasonDefault("ramadan", "Ramadan", "Рамадан", "Ramazon", "斋月"),
    SeasonDefault("eid_al_fitr", "Eid al-Fitr", "Ураза-байрам", "Ramazon hayiti", "开斋节"),
    SeasonDefault("back_to_school", "Back to school", "Снова в школу", "Maktabga", "返校季"),
    SeasonDefault("singles_day", "11.11 (Singles' Day)", "11.11", "11.11", "双十一"),
    SeasonDefault("black_friday", "Black Friday", "Чёрная пятница", "Qora juma", "黑色星期五"),
)

# First day of Ramadan and the day of Eid al-Fitr as observed in Uzbekistan; the lunar calendar
# moves them every year, and the muftiate may confirm a day later: staff can edit them.
RAMADAN = {
    2024: (datetime.date(2024, 3, 11), datetime.date(2024, 4, 10)),
    2025: (datetime.date(2025, 3, 1), datetime.date(2025, 3, 30)),
    2026: (datetime.date(2026, 2, 18), datetime.date(2026, 3, 20)),
    2027: (datetime.date(2027, 2, 8), datetime.date(2027, 3, 10)),
    2028: (datetime.date(2028, 1, 28), datetime.date(2028, 2, 27)),
}


def black_friday(year: int) -> datetime.date:
    """The day after the fourth Thursday of November."""
    first = datetime.date(year, 11, 1)
    first_thursday = first + datetime.timedelta(days=(3 - first.weekday()) % 7)
    return first_thursday + datetime.timedelta(days=22)


def default_windows(year: int) -> dict[str, tuple[datetime.date, datetime.date]]:
    """code -> (first day, last day) of each default season of the year that has dates."""
    day = datetime.date
    windows = {
        "new_year": (day(year, 12, 15), day(year, 12, 31)),
        "womens_day": (day(year, 3, 1), day(year, 3, 8)),
        "navruz": (day(year, 3, 14), day(year, 3, 21)),
        "back_to_school": (day(year, 8, 15), day(year, 9, 5)),
        "singles_day": (day(year, 11, 5), day(year, 11, 11)),
        "black_friday": (black_friday(year), black_friday(year) + datetime.timedelta(days=3)),
    }
    if year in RAMADAN:
        first, eid = RAMADAN[year]
        windows["ramadan"] = (first, eid - datetime.timedelta(days=1))
        windows["eid_al_fitr"] = (eid, eid + datetime.timedelta(days=2))
    return windows
