"""What the audit trail indexes: each record type, its model and the lookups to its sponsor and
employer (one line of `AUDITED` a model)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Model


@dataclass(frozen=True)
class Audited:
    """How a model's history enters the audit trail.

    `sponsor` and `employer` are lookups from the model to the ids of the sponsor and employer
    whose records it is (None: not tied to one). `part_of` is (record type, lookup) of the record
    whose history also shows this one's changes, each field named `label` + "." + field
    (`label` is formatted with the history row: "work_processes[{title}]"). `secret` fields are
    shown as one change of "ssn", never a value; where `public` is given, every other field is
    personal, its values shown only to the readers of personal data. `hidden` fields (the parent's
    id, in the parent's history) are not listed."""

    model: str
    # Or several lookups, the first that names one: an employer's staff limited to a sponsor
    # are that sponsor's.
    sponsor: str | tuple[str, ...] | None = None
    employer: str | None = None
    part_of: tuple[str, str] | None = None
    label: str = ""
    secret: frozenset[str] = frozenset()
    # None: nothing personal; else every field but these is personal.
    public: frozenset[str] | None = None
    hidden: frozenset[str] = field(default_factory=frozenset)

    def is_personal(self, name: str) -> bool:
        return self.public is not None and name not in self.public

    @property
    def model_class(self) -> type[Model]:
        return apps.get_model(self.model)

    @property
    def history_model(self) -> type[Model]:
        return self.model_class.history.model  # type: ignore[attr-defined]


# The registration's fields everyone who reads the apprenticeship may read: the names. The
# others (date of birth, address, demographics) only the sponsor's RAPS admins and the apprentice.
_REGISTRATION_NAMES = frozenset({"first_name", "middle_name", "last_name", "suffix"})

AUDITED: dict[str, Audited] = {
    "sponsor": Audited("sponsors.Sponsor", sponsor="id"),
    "employer": Audited("sponsors.Employer", employer="id"),
    "participation": Audited("sponsors.Participation", sponsor="sponsor", employer="employer"),
    "membership": Audited("sponsors.Membership", sponsor=("sponsor", "limited_to_sponsor"), employer="employer"),
    "invitation": Audited("sponsors.Invitation", sponsor="sponsor", employer="employer"),
    "program": Audited("apprenticeships.Program", sponsor="sponsor"),
    "work_process": Audited(
        "apprenticeships.WorkProcess",
        sponsor="program__sponsor",
        part_of=("program", "program"),
        label="work_processes[{title}]",
        hidden=frozenset({"program"}),
    ),
    "competency": Audited(
        "apprenticeships.Competency",
        sponsor="work_process__program__sponsor",
        part_of=("program", "work_process__program"),
        label="competencies[{code}]",
    ),
    "wage_step": Audited(
        "apprenticeships.WageStep",
        sponsor="program__sponsor",
        part_of=("program", "program"),
        label="wage_steps[{name}]",
        hidden=frozenset({"program"}),
    ),
    "milestone_definition": Audited(
        "apprenticeships.MilestoneDefinition",
        sponsor="program__sponsor",
        part_of=("program", "program"),
        label="milestone_definitions[{name}]",
        hidden=frozenset({"program"}),
    ),
    "apprenticeship": Audited("apprenticeships.Apprenticeship", sponsor="program__sponsor", employer="employer"),
    "registration": Audited(
        "apprenticeships.ApprenticeRegistration",
        sponsor="apprenticeship__program__sponsor",
        employer="apprenticeship__employer",
        part_of=("apprenticeship", "apprenticeship"),
        label="registration",
        hidden=frozenset({"apprenticeship"}),
        # The SSN itself is not in history; what is (its last four digits, any digest of it)
        # tells that it changed.
        secret=frozenset({"ssn", "ssn_last4", "ssn_lookup"}),
        public=_REGISTRATION_NAMES,
    ),
    "document": Audited(
        "apprenticeships.Document", sponsor="apprenticeship__program__sponsor", employer="apprenticeship__employer"
    ),
    # Every download of a document, as part of the document's history ("downloads.downloaded_by").
    "document_download": Audited(
        "apprenticeships.DocumentDownload",
        sponsor="document__apprenticeship__program__sponsor",
        employer="document__apprenticeship__employer",
        part_of=("document", "document"),
        label="downloads",
        hidden=frozenset({"document"}),
    ),
    "hour_log": Audited("competencies.HourLog", sponsor="apprenticeship__program__sponsor", employer="employer"),
    "competency_signoff": Audited(
        "competencies.CompetencySignOff",
        sponsor="apprenticeship__program__sponsor",
        employer="apprenticeship__employer",
    ),
    "milestone": Audited("competencies.Milestone", sponsor="program__sponsor", employer="employer"),
    "hour_import": Audited("competencies.HourImport", sponsor="sponsor"),
    "fund": Audited("sponsors.Fund", sponsor="sponsor"),
    "aid_request": Audited(
        "apprenticeships.AidRequest", sponsor="apprenticeship__program__sponsor", employer="apprenticeship__employer"
    ),
    # The agreement's versions and their signatures; a signature's address and browser are
    # shown to the readers of personal data only, as its API shows them to RAPS admins only.
    "agreement_version": Audited(
        "apprenticeships.AgreementVersion",
        sponsor="apprenticeship__program__sponsor",
        employer="apprenticeship__employer",
    ),
    "agreement_signature": Audited(
        "apprenticeships.AgreementSignature",
        sponsor="version__apprenticeship__program__sponsor",
        employer="version__apprenticeship__employer",
        public=frozenset(
            {"id", "created_at", "updated_at", "version", "role", "signer", "typed_name", "consent_text", "signed_at"}
        ),
    ),
    "priority_population": Audited("apprenticeships.PriorityPopulation", sponsor="sponsor"),
    "progress_review": Audited(
        "competencies.ProgressReview", sponsor="apprenticeship__program__sponsor", employer="apprenticeship__employer"
    ),
    "review_rating": Audited(
        "competencies.ReviewRating",
        sponsor="review__apprenticeship__program__sponsor",
        employer="review__apprenticeship__employer",
    ),
    "interim_credential": Audited(
        "competencies.InterimCredential",
        sponsor="apprenticeship__program__sponsor",
        employer="apprenticeship__employer",
    ),
}
RECORD_TYPES = sorted(AUDITED)


@functools.cache
def _by_model() -> dict[str, tuple[str, Audited]]:
    return {spec.model.lower(): (record_type, spec) for record_type, spec in AUDITED.items()}
