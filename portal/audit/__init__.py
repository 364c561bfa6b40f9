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

One module per part: `registry` (what is indexed), `writing` (the reasons and the index),
`reading` (the trail's pages and what changed).
"""

from .reading import audit_page, changes, check_may_read_audit, entry_changes, history_rows, may_read_personal
from .registry import AUDITED, RECORD_TYPES, Audited
from .writing import backfill, client_reason, connect, explained, index_history, index_written, keep_whole_reasons

__all__ = [
    "AUDITED",
    "RECORD_TYPES",
    "Audited",
    "audit_page",
    "backfill",
    "changes",
    "check_may_read_audit",
    "client_reason",
    "connect",
    "entry_changes",
    "explained",
    "history_rows",
    "index_history",
    "index_written",
    "keep_whole_reasons",
    "may_read_personal",
]
