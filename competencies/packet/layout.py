"""What the packet's documents share: how figures, dates and the verification line print."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from apprenticeships.models import display_code
from portal import pdf


def verify_url(code: str) -> str:
    """Where anyone checks a document: the public endpoint of this API's host (PORTAL_URL)."""
    return f"{settings.PORTAL_URL}/verify/{display_code(code)}"


def letterhead(sponsor: str, title: str, code: str) -> pdf.Letterhead:
    return pdf.Letterhead(sponsor=sponsor, title=title, verification=_("Verify at %(url)s") % {"url": verify_url(code)})


def hours(value: Decimal | None) -> str:
    return f"{value or Decimal('0'):,.2f}"


def money(value: Decimal | None) -> str:
    return f"${value or Decimal('0'):,.2f}"


def day(value: date | None) -> str:
    return value.isoformat() if value is not None else "—"


def verification_block(code: str, issued_on: date) -> list:
    return [
        pdf.space(10),
        pdf.text(
            _("Verification code %(code)s, issued %(date)s. Verify at %(url)s")
            % {"code": display_code(code), "date": day(issued_on), "url": verify_url(code)},
            "Small",
        ),
    ]
