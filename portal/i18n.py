"""The portal's languages: which one a request, a user and a notice are in.

Anonymous requests are in the language of their Accept-Language (LocaleMiddleware); a signed-in
user's in their own (`User.language`), activated where DRF authenticates them
(portal.api.authentication). Notices are built once per language of their recipients
(notifications.services). Dates in texts go through `long_date` and `short_date`, whose formats
are themselves in the catalog (English "June 01, 2026", Spanish "1 de junio de 2026").
"""

import datetime

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import pgettext

DEFAULT_LANGUAGE = "en"


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def supported(language: str | None) -> str:
    """One of LANGUAGES for a code like `es-MX` or `en-us`; the default when unknown."""
    if language:
        base = language.lower().split("-")[0]
        if base in language_codes():
            return base
    return DEFAULT_LANGUAGE


def current_language() -> str:
    """The language active now (the request's, or the notice's being built)."""
    return supported(translation.get_language())


def request_language(request) -> str:
    """The language a request asks for in its Accept-Language header (sign-up, invitations)."""
    return supported(translation.get_language_from_request(request))


def activate_for(user) -> None:
    """Answer a signed-in user in their language."""
    language = getattr(user, "language", None)
    if language:
        translation.activate(supported(language))


def long_date(day: datetime.date | datetime.datetime) -> str:
    """A date written out in the active language: "June 01, 2026", "1 de junio de 2026"."""
    # Translators: a Django date format (https://docs.djangoproject.com/en/stable/ref/templates/builtins/#date).
    return formats.date_format(day, pgettext("long date format", "F d, Y"))


def short_date(day: datetime.date | datetime.datetime) -> str:
    """A day without its year: "Jun 01", "01 jun"."""
    # Translators: a Django date format, a day without its year.
    return formats.date_format(day, pgettext("short date format", "M d"))


def month_label(day: datetime.date | datetime.datetime) -> str:
    """A month with its year, as a chart's tick: "Jun 2026", "jun 2026"."""
    # Translators: a Django date format, a month and its year.
    return formats.date_format(day, pgettext("month format", "M Y"))


def in_words(choices, value: str) -> str:
    """A state's label (a TextChoices') lowercased for a sentence, in the active language:
    "suspended", "suspendido"; the value itself where it is none of them."""
    return str(choices(value).label).lower() if value in choices.values else str(value)
