"""Reading the audit trail: whose trail a caller reads, a page of it by keyset, and what changed,
computed from the page's history rows only."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.apps import apps
from django.db.models import Model, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from portal.history import HIDDEN, NOT_SHOWN, plain

from .registry import AUDITED, Audited

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
        raise Forbidden(_("Only RAPS administrators and employer administrators read the audit trail."))


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
