"""The sponsor's funds: money granted to it for emergency aid to participants (LA County's
Worker Equity Fund), spent through the aid requests of its apprenticeships."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal.history import HistoricalRecords
from portal.models import TimestampedModel


class Fund(TimestampedModel):
    """A grant the sponsor spends on aid. Never deleted: corrected (PATCH) with a reason."""

    sponsor = models.ForeignKey("sponsors.Sponsor", on_delete=models.PROTECT, related_name="funds")
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=200, help_text=_("Who granted it, e.g. LA County WDACS."))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2, help_text=_("The total granted."))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))

    history = HistoricalRecords()

    class Meta:
        app_label = "sponsors"
        ordering = ["-period_start", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fund_amount_positive"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="fund_period_in_order"),
            # Two funds of a sponsor never share a name: requests and reports name them.
            models.UniqueConstraint(fields=["sponsor", "name"], name="fund_name_unique_per_sponsor"),
        ]

    def __str__(self) -> str:
        return self.name


# The statuses of an aid request (apprenticeships.models.aid.AidStatus) whose approved amount
# a fund has spent: committed (approved, not yet paid) and disbursed (paid). The funds' figures
# are read through the reverse relation `aid_requests`, so that this app imports none above it.
COMMITTED = "approved"
DISBURSED = "paid"
