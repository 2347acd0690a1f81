"""Django's own strings that its catalogs leave untranslated in our languages.

Django 6.1's admin added a few strings no catalog has yet ("- Select an option -", "Filter by
…"), and its Uzbek catalogs miss many admin and password-rule strings. Listed here, makemessages
puts them in our catalogs (`locale/`), which Django reads before its own, so the admin and the
sign-up page read in the user's language. Nothing imports this module.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

ADMIN = (
    gettext_noop("- Select an option -"),
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop("Skip to main content"),
    gettext_noop("Search"),
    gettext_noop("Search %(name)s"),
    gettext_noop("Select %s to change"),
    gettext_noop("Select %s to view"),
    gettext_noop("Show counts"),
    gettext_noop(" By %(filter_title)s "),
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("History"),
    gettext_noop("View"),
)

PASSWORDS = (
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("This password is too common."),
    gettext_noop("This password is entirely numeric."),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
)
