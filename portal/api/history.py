"""`{resource}/{id}/history/`: the record's simple-history, newest first, with what changed.

Read-only and scoped like the record itself: the view's own `get_object` finds the record, so
outside the caller's scope it is a 404. Diffs are computed from the page's rows plus the one
row just older than the page: a fixed number of queries whatever the page size.
"""

from typing import TYPE_CHECKING

from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView

from portal import audit
from portal.api.serializers import person
from portal.history import ACTIONS, HIDDEN, NOT_SHOWN, plain

HISTORY_TYPES = {action: history_type for history_type, action in ACTIONS.items()}


def history_changes(new, old, *, masked: set[str]) -> list[dict]:
    changes = []
    for field in new.instance_type._meta.concrete_fields:
        if field.name in NOT_SHOWN or not hasattr(new, field.attname):
            continue
        before = getattr(old, field.attname) if old is not None else None
        after = getattr(new, field.attname)
        if before == after:
            continue
        hidden = field.name in masked
        changes.append(
            {
                "field": field.name,
                "old": HIDDEN if hidden and before not in (None, "") else plain(before),
                "new": HIDDEN if hidden and after not in (None, "") else plain(after),
            }
        )
    return changes


class HistoryUserSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class HistoryChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class HistoryEntrySerializer(serializers.Serializer):
    history_id = serializers.IntegerField()
    history_date = serializers.DateTimeField()
    history_type = serializers.ChoiceField(choices=["+", "~", "-"])
    history_user = HistoryUserSerializer(allow_null=True)
    history_change_reason = serializers.CharField(allow_null=True)
    changes = HistoryChangeSerializer(many=True)


if TYPE_CHECKING:
    # What the mixin is mixed into, for the type checker (a tenant viewset); at run time a
    # plain mixin.
    _HistoryBase = GenericAPIView
else:
    _HistoryBase = object


class HistoryMixin(_HistoryBase):
    """Adds the `history` action to a tenant viewset. `history_masked_fields(record)` names the
    fields whose values this caller may not read (shown as changed, values hidden).

    A viewset whose records are made of others (a program of its work processes, competencies,
    wage steps and milestone definitions; an apprenticeship of its registration data) names the
    record's type in the audit trail (`history_record_type`): its history is then the trail of
    the record and of its parts, each part's fields named after it
    ("work_processes[Front end].target_hours"), read from the audit index (portal/audit/).
    `history_personal(record)`: whether the caller reads the parts' personal fields."""

    history_record_type: str | None = None

    def history_masked_fields(self, record) -> set[str]:
        return set()

    def history_personal(self, record) -> bool:
        return True

    def _history_with_parts(self, record, record_type: str):
        from portal.models import AuditEntry

        entries = (
            AuditEntry.objects.filter(
                Q(record_type=record_type, record_id=record.pk) | Q(part_of_type=record_type, part_of_id=record.pk)
            )
            .select_related("actor")
            .order_by("-at", "-id")
        )
        page = self.paginate_queryset(entries)
        assert page is not None, "every API view pages (DEFAULT_PAGINATION_CLASS)"
        rows = audit.history_rows(page)
        personal = self.history_personal(record)
        results = [
            {
                "history_id": entry.history_id,
                "history_date": entry.at,
                "history_type": HISTORY_TYPES[entry.action],
                "history_user": person(entry.actor),
                "history_change_reason": entry.reason or None,
                "changes": audit.entry_changes(
                    entry, rows, personal=personal, as_part=entry.record_type != record_type
                ),
            }
            for entry in page
        ]
        return self.get_paginated_response(HistoryEntrySerializer(results, many=True).data)

    @extend_schema(responses=HistoryEntrySerializer(many=True), filters=False, parameters=[])
    @action(detail=True, methods=["get"], filter_backends=[], ordering=None)
    def history(self, request, pk=None, **kwargs):  # kwargs: a nested route's parent id
        record = self.get_object()
        if self.history_record_type is not None:
            return self._history_with_parts(record, self.history_record_type)
        masked = self.history_masked_fields(record)
        rows = record.history.select_related("history_user").order_by("-history_date", "-history_id")
        page = self.paginate_queryset(rows)
        assert page is not None, "every API view pages (DEFAULT_PAGINATION_CLASS)"
        older = None
        if page:
            last = page[-1]
            older = rows.filter(
                Q(history_date__lt=last.history_date)
                | Q(history_date=last.history_date, history_id__lt=last.history_id)
            ).first()
        entries = []
        for position, row in enumerate(page):
            previous = page[position + 1] if position + 1 < len(page) else older
            user = row.history_user
            entries.append(
                {
                    "history_id": row.history_id,
                    "history_date": row.history_date,
                    "history_type": row.history_type,
                    "history_user": person(user),
                    "history_change_reason": row.history_change_reason,
                    "changes": history_changes(row, previous if row.history_type != "+" else None, masked=masked),
                }
            )
        return self.get_paginated_response(HistoryEntrySerializer(entries, many=True).data)


# --- GET audit/ -------------------------------------------------------------------------------


class AuditEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    actor = HistoryUserSerializer(allow_null=True)
    record_type = serializers.ChoiceField(choices=audit.RECORD_TYPES)
    record_id = serializers.UUIDField()
    action = serializers.ChoiceField(choices=list(HISTORY_TYPES))
    changes = HistoryChangeSerializer(many=True)
    reason = serializers.CharField(allow_null=True)


class AuditPageSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True, help_text="The next (older) page, or null at the end.")
    results = AuditEntrySerializer(many=True)
