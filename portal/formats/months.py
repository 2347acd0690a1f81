"""The month names Django's `E` format prints after a day, marked for Bozor's own catalogs.

Django's Uzbek catalog capitalises them (5-Noyabr), while Uzbek writes the month in lower case
(5-noyabr); the translations in locale/ take precedence over Django's, but makemessages only
keeps what the project's code marks. Nothing needs to import this module."""

from django.utils.translation import pgettext_lazy

MONTHS_AFTER_A_DAY = (
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)
