"""Sponsors (the RAPS), the employers that take part in their programs, and who works where."""

from datetime import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from portal.history import HistoricalRecords
from portal.models import TimestampedModel
from portal.tenancy import Role


class RegistrationAgency(models.TextChoices):
    FEDERAL_OA = "federal_oa", _("US DOL Office of Apprenticeship")
    STATE = "state", _("State apprenticeship agency")


class SponsorType(models.TextChoices):
    INDIVIDUAL_EMPLOYER = "individual_employer", _("Individual employer")
    GROUP_JOINT = "group_joint", _("Group, joint")
    GROUP_NON_JOINT = "group_non_joint", _("Group, non-joint")
    INTERMEDIARY = "intermediary", _("Intermediary")


class Sponsor(TimestampedModel):
    """A Registered Apprenticeship Program Sponsor."""

    name = models.CharField(max_length=200)
    registration_number = models.CharField(max_length=50, unique=True)
    registration_agency = models.CharField(max_length=20, choices=RegistrationAgency.choices)
    agency_state = models.CharField(
        max_length=2, blank=True, help_text="Two-letter state code when a state agency registered the program."
    )
    sponsor_type = models.CharField(max_length=30, choices=SponsorType.choices)
    registration_date = models.DateField()
    contact_name = models.CharField(max_length=150, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    eeo_pledge = models.TextField(
        "equal opportunity pledge",
        blank=True,
        help_text="The pledge of 29 CFR 30.3(c) printed on every agreement; empty: the standard wording.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            # A state agency is named by its state; the federal OA has none.
            models.CheckConstraint(
                condition=(Q(registration_agency=RegistrationAgency.STATE) & ~Q(agency_state=""))
                | (Q(registration_agency=RegistrationAgency.FEDERAL_OA) & Q(agency_state="")),
                name="sponsor_agency_state_matches_agency",
            ),
        ]

    def __str__(self):
        return self.name


ein_validator = RegexValidator(r"^\d{2}-\d{7}$", "An EIN is written NN-NNNNNNN.")
naics_validator = RegexValidator(r"^\d{2,6}$", "A NAICS code is 2 to 6 digits.")


class Employer(TimestampedModel):
    """An employer that takes part in one or more sponsors' programs."""

    name = models.CharField(max_length=200)
    ein = models.CharField("EIN", max_length=10, blank=True, validators=[ein_validator])
    street_address = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True)
    zip_code = models.CharField(max_length=10, blank=True)
    naics_code = models.CharField("NAICS code", max_length=6, blank=True, validators=[naics_validator])
    journeyworkers = models.PositiveIntegerField(
        default=0, help_text="Journeyworkers who can mentor apprentices: bounds apprentices by the programs' ratio."
    )
    sponsors = models.ManyToManyField(Sponsor, through="Participation", related_name="employers")

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            # One employer record per EIN, where the EIN is known.
            models.UniqueConstraint(fields=["ein"], condition=~Q(ein=""), name="employer_ein_unique"),
        ]

    def __str__(self):
        return self.name


class Participation(TimestampedModel):
    """An employer takes part in a sponsor's program(s) from a date."""

    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="participations")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="participations")
    joined_on = models.DateField()

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sponsor", "employer"], name="participation_unique"),
        ]

    def __str__(self):
        return f"{self.employer} in {self.sponsor}"


class MembershipRole(models.TextChoices):
    RAPS_ADMIN = Role.RAPS_ADMIN, _("RAPS administrator")
    EMPLOYER_ADMIN = Role.EMPLOYER_ADMIN, _("Employer administrator")
    SUPERVISOR = Role.SUPERVISOR, _("Supervisor / mentor")


SPONSOR_ROLES = [MembershipRole.RAPS_ADMIN]
EMPLOYER_ROLES = [MembershipRole.EMPLOYER_ADMIN, MembershipRole.SUPERVISOR]


class Membership(TimestampedModel):
    """A user's role in one organization: RAPS admin of a sponsor, or staff of an employer."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    sponsor = models.ForeignKey(Sponsor, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships")
    employer = models.ForeignKey(Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=MembershipRole.choices)
    # An employer takes part in several sponsors' programs: staff that a sponsor's RAPS admin
    # invited work on that sponsor's apprenticeships only, so that no sponsor's action opens
    # another sponsor's records (docs/security.md). Null: every program the employer takes part in.
    limited_to_sponsor = models.ForeignKey(
        Sponsor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Employer staff only: the sponsor whose programs this role covers (empty: all of the employer's).",
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            # A membership is in exactly one organization, and the role fits its kind; only
            # employer staff are limited to a sponsor's programs.
            models.CheckConstraint(
                condition=(
                    Q(sponsor__isnull=False, employer__isnull=True, limited_to_sponsor__isnull=True)
                    & Q(role__in=SPONSOR_ROLES)
                )
                | (Q(sponsor__isnull=True, employer__isnull=False, role__in=EMPLOYER_ROLES)),
                name="membership_one_organization_with_fitting_role",
            ),
            # One role per user and organization (and, at an employer, per sponsor it covers).
            models.UniqueConstraint(
                fields=["user", "sponsor"], condition=Q(sponsor__isnull=False), name="membership_user_sponsor_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "employer", "limited_to_sponsor"],
                condition=Q(employer__isnull=False),
                nulls_distinct=False,
                name="membership_user_employer_unique",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} of {self.sponsor or self.employer}"


class InvitationRole(models.TextChoices):
    RAPS_ADMIN = Role.RAPS_ADMIN, _("RAPS administrator")
    EMPLOYER_ADMIN = Role.EMPLOYER_ADMIN, _("Employer administrator")
    SUPERVISOR = Role.SUPERVISOR, _("Supervisor / mentor")
    APPRENTICE = Role.APPRENTICE, _("Apprentice")


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class Invitation(TimestampedModel):
    """An e-mailed, single-use, expiring invitation to join an organization with a role.

    Only a hash of the token is kept: the link in the e-mail is the only copy of the token.
    """

    email = models.EmailField()
    sponsor = models.ForeignKey(Sponsor, null=True, blank=True, on_delete=models.PROTECT, related_name="invitations")
    employer = models.ForeignKey(Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="invitations")
    role = models.CharField(max_length=20, choices=InvitationRole.choices)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Who is invited where: a RAPS admin to a sponsor; employer staff to an employer
            # (and the sponsor whose admin invited them, if one did); an apprentice to an
            # employer of a sponsor.
            models.CheckConstraint(
                condition=Q(role=Role.RAPS_ADMIN, sponsor__isnull=False, employer__isnull=True)
                | Q(role__in=[Role.EMPLOYER_ADMIN, Role.SUPERVISOR], employer__isnull=False)
                | Q(role=Role.APPRENTICE, sponsor__isnull=False, employer__isnull=False),
                name="invitation_organization_fits_role",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_not_both_accepted_and_revoked",
            ),
            # At most one open invitation per address and organization (at an employer, per
            # sponsor it is made for): a second one would be a second valid link; revoke the
            # first instead. Two sponsors sharing an employer never see each other's.
            models.UniqueConstraint(
                Lower("email"),
                "employer",
                "sponsor",
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True, employer__isnull=False),
                nulls_distinct=False,
                name="invitation_one_open_per_email_employer",
            ),
            models.UniqueConstraint(
                Lower("email"),
                "sponsor",
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True, employer__isnull=True),
                name="invitation_one_open_per_email_sponsor",
            ),
        ]
        indexes = [
            # invitations/ list of a sponsor, newest first.
            models.Index(fields=["sponsor", "-created_at"], name="invitation_sponsor_recent"),
            models.Index(fields=["employer", "-created_at"], name="invitation_employer_recent"),
        ]

    def __str__(self):
        return f"{self.email} as {self.get_role_display()}"

    @property
    def organization(self):
        return self.employer or self.sponsor

    def status_at(self, moment: datetime) -> InvitationStatus:
        if self.accepted_at:
            return InvitationStatus.ACCEPTED
        if self.revoked_at:
            return InvitationStatus.REVOKED
        if self.expires_at <= moment:
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING


from sponsors.funds_models import Fund as Fund  # noqa: E402 - the funds' own module, a model of this app
