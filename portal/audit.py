"""The audit trail: every change of a sponsor's records, one index row per history row.

simple-history keeps each record's versions in its own table. To answer "what changed in this
sponsor last month, and who did it" without reading every table, each history row written for
a record named in `AUDITED` gets an `AuditEntry` beside it (the `post_create_historical_record`
signal), carrying whose records it belongs to (sponsor, employer), the record it is part of
(a work process of its program, the registration of its apprenticeship) and the whole reason.
A page of the trail is a slice of that index (newest first, by keyset), and what changed is
computed from the page's history rows only: a fixed number of queries whatever the history's size.

Registering a model for the audit is one line of `AUDITED`: its record type, the model (by
label: the portal imports no domain app), and the lookups from it to its sponsor's and
employer's ids.

The reason a client sends with a write (`reason` in the body, read by the tenancy base) is held
for the request (`client_reason`) and joined to the service's own reason of every history row
the write saves: "approved: <client reason>".
"""

from __future__ import annotations

import contextvars
import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Exists, Model, OuterRef, Q, Subquery
from simple_history.signals import post_create_historical_record, pre_create_historical_record

from portal.history import ACTIONS, HIDDEN, NOT_SHOWN, plain


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
    "hour_log": Audited("competencies.HourLog", sponsor="apprenticeship__program__sponsor", employer="employer"),
    "competency_signoff": Audited(
        "competencies.CompetencySignOff",
        sponsor="apprenticeship__program__sponsor",
        employer="apprenticeship__employer",
    ),
    "milestone": Audited("competencies.Milestone", sponsor="program__sponsor", employer="employer"),
    "hour_import": Audited("competencies.HourImport", sponsor="sponsor"),
}
RECORD_TYPES = sorted(AUDITED)


@functools.cache
def _by_model() -> dict[str, tuple[str, Audited]]:
    return {spec.model.lower(): (record_type, spec) for record_type, spec in AUDITED.items()}


# --- the reason a client gives, for the request ---------------------------------------------

client_reason: contextvars.ContextVar[str | None] = contextvars.ContextVar("client_reason", default=None)


def explained(own: str | None, given: str | None) -> str | None:
    """The reason recorded: the service's own, then the client's ("approved: checked the log").
    A client reason the service already recorded (a rejection's) is not repeated."""
    if not given:
        return own
    if not own:
        return given
    return own if given in own else f"{own}: {given}"


def _fit(text: str | None, length: int | None) -> str | None:
    if text is None or length is None or len(text) <= length:
        return text
    return text[: length - 1] + "…"


def _explain(sender, history_instance, **kwargs) -> None:
    """Before a history row is written: the client's reason joined to the service's. The history
    column is short (100 characters): it keeps the beginning; the audit entry keeps it whole."""
    reason = explained(history_instance.history_change_reason, client_reason.get())
    history_instance._audit_reason = reason
    length = history_instance._meta.get_field("history_change_reason").max_length
    history_instance.history_change_reason = _fit(reason, length)


# --- writing the index ------------------------------------------------------------------------


def _resolve_first(instance: Model, history_instance: Model, lookups: str | tuple[str, ...] | None):
    """The first id of `lookups` that is not null."""
    if not isinstance(lookups, tuple):
        return _resolve(instance, history_instance, lookups)
    for lookup in lookups:
        value = _resolve(instance, history_instance, lookup)
        if value is not None:
            return value
    return None


def _lookups(lookups: str | tuple[str, ...] | None) -> tuple[str, ...]:
    return lookups if isinstance(lookups, tuple) else (lookups,) if lookups else ()


def _resolve(instance: Model, history_instance: Model, lookup: str | None):
    """The id `lookup` names, from objects the instance already holds, or else read inside the
    INSERT itself (a subquery of the history row): never a query of its own."""
    if lookup is None:
        return None
    if lookup == "id":
        return instance.pk
    obj: Model = instance
    steps = lookup.split("__")
    for position, step in enumerate(steps):
        relation: Any = obj._meta.get_field(step)
        if position == len(steps) - 1:
            return getattr(obj, relation.attname)
        if not relation.is_cached(obj):
            break
        obj = getattr(obj, step)
        if obj is None:
            return None
    history: Any = type(history_instance)
    return Subquery(history.objects.filter(pk=history_instance.pk).values(lookup)[:1])


def _record(sender, instance, history_instance, **kwargs) -> None:
    found = _by_model().get(instance._meta.label_lower)
    if found is None:
        return
    record_type, spec = found
    from portal.models import AuditEntry

    AuditEntry.objects.create(
        at=history_instance.history_date,
        actor_id=history_instance.history_user_id,
        record_type=record_type,
        record_id=instance.pk,
        action=ACTIONS[history_instance.history_type],
        sponsor_id=_resolve_first(instance, history_instance, spec.sponsor),
        employer_id=_resolve(instance, history_instance, spec.employer),
        part_of_type=spec.part_of[0] if spec.part_of else "",
        part_of_id=_resolve(instance, history_instance, spec.part_of[1]) if spec.part_of else None,
        history_id=history_instance.pk,
        reason=getattr(history_instance, "_audit_reason", history_instance.history_change_reason) or "",
    )


def connect() -> None:
    pre_create_historical_record.connect(_explain, dispatch_uid="portal.audit.explain")
    post_create_historical_record.connect(_record, dispatch_uid="portal.audit.record")


def backfill(registry=apps, batch_size: int = 2000) -> int:
    """Index the history rows written before the audit trail existed: each once, whatever how
    often it runs. Returns the number indexed."""
    entry_model = registry.get_model("portal", "AuditEntry")
    indexed = 0
    for record_type, spec in AUDITED.items():
        app_label, name = spec.model.split(".")
        try:
            history = registry.get_model(app_label, f"Historical{name}")
        except LookupError:  # a model later than the migration that runs this: nothing to index yet
            continue
        indexed += _index(entry_model, record_type, spec, history.objects.all(), batch_size)
    return indexed


def index_written(model: type[Model], record_ids, since) -> int:
    """Index the history rows of `record_ids` written since `since` by a bulk write (simple-history's
    bulk helpers send no signal): a fixed number of queries whatever their number. A model that is
    not audited indexes nothing."""
    found = _by_model().get(model._meta.label_lower)
    if found is None or not record_ids:
        return 0
    record_type, spec = found
    history = model.history.model  # type: ignore[attr-defined]
    rows = history.objects.filter(id__in=list(record_ids), history_date__gte=since)
    return _index(apps.get_model("portal", "AuditEntry"), record_type, spec, rows, 2000)


def _index(entry_model, record_type: str, spec: Audited, history_rows, batch_size: int) -> int:
    """An entry for each of `history_rows` that has none, in batches."""
    known = entry_model.objects.filter(record_type=record_type, history_id=OuterRef("history_id"))
    values = ["history_id", "history_date", "history_user_id", "history_type", "history_change_reason", "id"]
    values += {*_lookups(spec.sponsor), *_lookups(spec.employer), *_lookups(spec.part_of and spec.part_of[1])}
    rows = history_rows.exclude(Exists(known)).values(*values).iterator(chunk_size=batch_size)
    indexed, batch = 0, []
    for row in rows:
        batch.append(
            entry_model(
                at=row["history_date"],
                actor_id=row["history_user_id"],
                record_type=record_type,
                record_id=row["id"],
                action=ACTIONS[row["history_type"]],
                sponsor_id=next((row[name] for name in _lookups(spec.sponsor) if row[name]), None),
                employer_id=row[spec.employer] if spec.employer else None,
                part_of_type=spec.part_of[0] if spec.part_of else "",
                part_of_id=row[spec.part_of[1]] if spec.part_of else None,
                history_id=row["history_id"],
                reason=row["history_change_reason"] or "",
            )
        )
        if len(batch) >= batch_size:
            entry_model.objects.bulk_create(batch)
            indexed, batch = indexed + len(batch), []
    entry_model.objects.bulk_create(batch)
    return indexed + len(batch)


# --- reading: what changed, for a page of entries --------------------------------------------


def _previous_rows(history: type[Model], rows: list) -> dict[int, Model]:
    """For each history row, the row just older of the same record: one query for their ids
    (a subquery per row, on the table's index), one for the rows."""
    if not rows:
        return {}
    older = history.objects.filter(  # type: ignore[attr-defined]
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id")),
        id=OuterRef("id"),
    ).order_by("-history_date", "-history_id")
    pairs = dict(
        history.objects.filter(pk__in=[row.pk for row in rows])  # type: ignore[attr-defined]
        .annotate(previous=Subquery(older.values("history_id")[:1]))
        .values_list("history_id", "previous")
    )
    wanted = {previous for previous in pairs.values() if previous is not None}
    found = {row.pk: row for row in history.objects.filter(pk__in=wanted)} if wanted else {}  # type: ignore[attr-defined]
    return {history_id: found[previous] for history_id, previous in pairs.items() if previous in found}


def changes(spec: Audited, new, old, *, personal: bool, prefix: str = "") -> list[dict]:
    """What changed from `old` to `new` (old None: every field, as new). Secret fields are one
    change of "ssn" with both values hidden; personal ones are hidden unless `personal`."""
    found: list[dict] = []
    secret_changed = False
    for model_field in new.instance_type._meta.concrete_fields:
        name = model_field.name
        if name in NOT_SHOWN or name in spec.hidden or not hasattr(new, model_field.attname):
            continue
        before = getattr(old, model_field.attname) if old is not None else None
        after = getattr(new, model_field.attname)
        if before == after:
            continue
        if name in spec.secret:
            secret_changed = True
            continue
        hidden = spec.is_personal(name) and not personal
        found.append(
            {
                "field": f"{prefix}{name}",
                "old": HIDDEN if hidden and before not in (None, "") else plain(before),
                "new": HIDDEN if hidden and after not in (None, "") else plain(after),
            }
        )
    if secret_changed:
        found.append({"field": f"{prefix}ssn", "old": HIDDEN, "new": HIDDEN})
    return found


def history_rows(entries: Iterable) -> dict[tuple[str, int], tuple[Model, Model | None]]:
    """The history row of each entry and the one just older: three queries per record type on
    the page, whatever the size of the history."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for entry in entries:
        wanted[entry.record_type].add(entry.history_id)
    found: dict[tuple[str, int], tuple[Model, Model | None]] = {}
    for record_type, history_ids in wanted.items():
        history = AUDITED[record_type].history_model
        rows = list(history.objects.filter(pk__in=history_ids))  # type: ignore[attr-defined]
        previous = _previous_rows(history, rows)
        for row in rows:
            found[(record_type, row.pk)] = (row, previous.get(row.pk) if row.history_type != "+" else None)
    return found


def entry_changes(entry, rows, *, personal: bool, as_part: bool = False) -> list[dict]:
    """The changes of one audit entry. `as_part`: named as a part of the record it belongs to
    ("work_processes[Front end].target_hours")."""
    spec = AUDITED[entry.record_type]
    found = rows.get((entry.record_type, entry.history_id))
    if found is None:  # the history row is gone (history is never deleted through the portal)
        return []
    new, old = found
    prefix = ""
    if as_part and spec.label:
        try:
            prefix = spec.label.format(**{f.attname: getattr(new, f.attname) for f in new._meta.concrete_fields})
        except (KeyError, AttributeError):
            prefix = entry.record_type
        prefix += "."
    return changes(spec, new, old, personal=personal, prefix=prefix)


# --- reading: whose trail ---------------------------------------------------------------------


def check_may_read_audit(scope) -> None:
    """RAPS admins (their sponsor's records) and employer admins (their employer's share)."""
    from portal.errors import Forbidden

    if not scope.admin_sponsor_ids and not scope.admin_grants:
        raise Forbidden("Only RAPS administrators and employer administrators read the audit trail.")


def _branches(scope) -> list[Q]:
    """The caller's trail as branches that each one index serves in order (newest first): the
    page is the merge of their first rows, so its cost does not grow with the history."""
    branches: list[Q] = [Q(sponsor_id=sponsor_id) for sponsor_id in sorted(scope.admin_sponsor_ids)]
    for employer_id, sponsor_id in sorted(scope.admin_grants, key=str):
        branches.append(
            Q(employer_id=employer_id) if sponsor_id is None else Q(employer_id=employer_id, sponsor_id=sponsor_id)
        )
    # The employers' own records (their details, staff, invitations): of no one sponsor, read by
    # the RAPS admins of the sponsors they take part in and by their own admins.
    own = Q(employer_id__in=[employer_id for employer_id, _sponsor_id in scope.admin_grants])
    if scope.admin_sponsor_ids:
        participations = apps.get_model("sponsors.Participation").objects.filter(sponsor_id__in=scope.admin_sponsor_ids)
        own |= Q(employer_id__in=participations.values("employer_id"))
    branches.append(Q(sponsor_id__isnull=True) & own)
    return branches


def audit_page(*, scope, filters: Q, after_key: tuple | None, size: int) -> list:
    """Up to `size` + 1 entries of the caller's trail matching `filters`, newest first, older
    than `after_key` ((at, id) of the last entry of the previous page): one query per branch."""
    from portal.models import AuditEntry

    check_may_read_audit(scope)
    keyset = Q()
    if after_key is not None:
        at, entry_id = after_key
        keyset = Q(at__lt=at) | Q(at=at, id__lt=entry_id)
    found = {}
    for branch in _branches(scope):
        rows = AuditEntry.objects.filter(branch, filters, keyset).select_related("actor").order_by("-at", "-id")
        for entry in rows[: size + 1]:
            found[entry.id] = entry
    return sorted(found.values(), key=lambda entry: (entry.at, entry.id), reverse=True)[: size + 1]


def may_read_personal(scope, entry) -> bool:
    """Date of birth and demographics: the sponsor's RAPS admins only (the apprentice reads no
    audit trail)."""
    return entry.sponsor_id is not None and scope.is_raps_admin(entry.sponsor_id)
