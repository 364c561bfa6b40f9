"""Hours written many at once: a list of logs (bulk) or a CSV file of them (import). All are
written, or none, with the errors of each bad item or line. An import is a record (HourImport)
that its logs name; a file is imported once per sponsor, and a row the record already holds is
not written twice. How the file itself is read (columns, rows, dates): import_csv.py."""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apprenticeships.models import OPEN_STATUSES
from apprenticeships.selectors import work_process_name, work_processes_by_name
from portal.errors import Conflict, Forbidden, StructuredValidationError
from portal.history import with_reason
from portal.tenancy import Scope

from .. import ledger, selectors

# The shape of one log is the API's input serializer: one definition of the fields and of
# their messages for the JSON endpoints and for the lines of a file alike.
from ..api.serializers.hours import HourLogInputSerializer
from ..models import HourImport, HourKind, HourLog
from .hours import HourEntry
from .hours_bulk import ItemErrors, hour_logs_create_all
from .import_csv import DATE_FORMATS, file_checksum, file_error, iso_date, read_rows

NOT_FOUND = gettext_lazy(
    "Not found: name the apprenticeship by its id, its apprentice's e-mail or its RAPIDS apprentice id."
)


def _entries(items: list) -> tuple[list[tuple[int, HourEntry]], dict[int, dict]]:
    """Check the shape of each item: ([(position, entry)], {position: errors}). The records
    an entry names are found by `hour_logs_create_all`, within the caller's scope, as it locks them."""
    entries: list[tuple[int, HourEntry]] = []
    errors: dict[int, dict] = {}
    for position, item in enumerate(items):
        data = HourLogInputSerializer(data=item)
        if not data.is_valid():
            errors[position] = dict(data.errors)
            continue
        fields = dict(data.validated_data)
        entries.append((position, HourEntry(apprenticeship_id=fields.pop("apprenticeship"), **fields)))
    return entries, errors


def hour_logs_create_from_items(*, scope: Scope, logged_by, items: list, check_only: bool = False) -> list[HourLog]:
    """Write every item (a dict as a client sends it) or none. ItemErrors with the errors of
    every bad item, those of shape and those of the rules alike. `check_only`: write nothing."""
    entries, errors = _entries(items)
    positions, valid = [position for position, _ in entries], [entry for _, entry in entries]
    logs: list[HourLog] = []
    if valid:
        try:
            logs = hour_logs_create_all(
                scope=scope, logged_by=logged_by, entries=valid, check_only=check_only or bool(errors)
            )
        except ItemErrors as failed:
            errors.update({positions[index]: item_errors for index, item_errors in failed.errors.items()})
    if errors:
        raise ItemErrors(errors)
    return [] if check_only else logs


def _reference(value: str) -> tuple[str, object]:
    """What a row's `apprenticeship` names: ("id", UUID), ("email", lower case) or ("rapids", id)."""
    try:
        return "id", uuid.UUID(value)
    except ValueError:
        return ("email", value.lower()) if "@" in value else ("rapids", value)


def _apprenticeships_named(*, scope: Scope, values: dict[int, str], errors: dict[int, dict]) -> dict[int, uuid.UUID]:
    """{position: apprenticeship id} of the rows whose `apprenticeship` (`values`: its id, the
    apprentice's e-mail or its RAPIDS apprentice id) names one apprenticeship in the caller's
    scope, in one query; the others' errors go into `errors`. An apprenticeship outside the scope
    is not found, like one that does not exist. An e-mail of several apprenticeships names the one
    that is open; of several open ones, none (the row must give the id)."""
    references = {position: _reference(value) for position, value in values.items() if value}
    wanted: defaultdict[str, set] = defaultdict(set)
    for kind, reference in references.values():
        wanted[kind].add(reference)
    found = (
        selectors.apprenticeships_named(
            scope=scope, ids=wanted["id"], emails=wanted["email"], rapids_ids=wanted["rapids"]
        )
        if references
        else []
    )
    matches: defaultdict[tuple[str, object], list[dict]] = defaultdict(list)
    for apprenticeship in found:
        matches["id", apprenticeship["id"]].append(apprenticeship)
        matches["email", apprenticeship["email"]].append(apprenticeship)
        matches["rapids", apprenticeship["rapids_apprentice_id"]].append(apprenticeship)
    named: dict[int, uuid.UUID] = {}
    for position, value in values.items():
        if not value:
            errors[position] = {"apprenticeship": [_("This field may not be blank.")]}
            continue
        candidates = matches[references[position]]
        open_ones = [apprenticeship for apprenticeship in candidates if apprenticeship["status"] in OPEN_STATUSES]
        if len(candidates) == 1 or len(open_ones) == 1:
            named[position] = (candidates if len(candidates) == 1 else open_ones)[0]["id"]
        elif not candidates:
            errors[position] = {"apprenticeship": [NOT_FOUND]}
        else:
            several = f"{len(open_ones)} open" if open_ones else f"{len(candidates)}"
            errors[position] = {
                "apprenticeship": [f"{value} is the apprentice of {several} apprenticeships: name the one by its id."]
            }
    return named


def _log_key(*, apprenticeship_id, day, kind, hours, work_process_id, course: str) -> tuple:
    """What makes two logs the same: apprenticeship, date, kind, hours, and the work process
    (OJT) or the course (RTI, in any case)."""
    what = work_process_id if kind == HourKind.OJT else course.strip().casefold()
    return (apprenticeship_id, day, kind, hours, what)


@dataclass
class _Duplicates:
    """The rows that repeat a log already recorded or an earlier row of the file."""

    kept: list[tuple[int, HourEntry]] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)  # [{line, reason}]


def _without_duplicates(
    entries: list[tuple[int, HourEntry]], *, locked: dict, lines: list[int], errors: dict, skip: bool
) -> _Duplicates:
    """The entries that are neither a log already recorded (submitted or approved: a rejected,
    voided or withdrawn log is not in the record) nor a repeat of an earlier row of the file. The
    others are skipped (`skip`) or errors on their line. Run with the apprenticeships locked, so
    that an import racing another write sees its logs."""
    programs = {
        locked[entry.apprenticeship_id].program_id
        for _, entry in entries
        if entry.work_process and entry.apprenticeship_id in locked
    }
    processes = work_processes_by_name(program_ids=programs) if programs else {}
    keys: dict[int, tuple] = {}
    for position, entry in entries:
        apprenticeship = locked.get(entry.apprenticeship_id)
        process_id = (
            processes.get(apprenticeship.program_id, {}).get(work_process_name(entry.work_process))
            if apprenticeship is not None and entry.work_process
            else None
        )
        if apprenticeship is None or (entry.kind == HourKind.OJT and process_id is None):
            continue  # not found: the rules of a log report it
        keys[position] = _log_key(
            apprenticeship_id=entry.apprenticeship_id,
            day=entry.date,
            kind=entry.kind,
            hours=entry.hours,
            work_process_id=process_id,
            course=entry.course,
        )
    recorded = {
        _log_key(
            apprenticeship_id=log["apprenticeship_id"],
            day=log["date"],
            kind=log["kind"],
            hours=log["hours"],
            work_process_id=log["work_process_id"],
            course=log["course"],
        ): log["id"]
        for log in selectors.recorded_logs(
            apprenticeship_ids={key[0] for key in keys.values()}, days={key[1] for key in keys.values()}
        )
    }
    seen: dict[tuple, int] = {}
    result = _Duplicates()
    for position, entry in entries:
        key = keys.get(position)
        reason = None
        if key in recorded:
            reason = _("The same as log %(log)s, already recorded.") % {"log": recorded[key]}
        elif key in seen:
            reason = _("The same as line %(line)s of this file.") % {"line": seen[key]}
        elif key is not None:
            seen[key] = lines[position]
        if reason is None:
            result.kept.append((position, entry))
        elif skip:
            result.skipped.append({"line": lines[position], "reason": reason})
        else:
            errors[position] = {"non_field_errors": [f"{reason} Send skip_duplicates=true to skip such rows."]}
    return result


def _check_not_imported(*, sponsor_id, checksum: str) -> None:
    earlier = selectors.hour_import_of(sponsor_id=sponsor_id, checksum=checksum)
    if earlier is not None:
        raise Conflict(
            _(
                "This file was already imported: import %(id)s (%(file)s, by %(person)s on %(at)s UTC, "
                "%(rows)s rows written)."
            )
            % {
                "id": earlier.pk,
                "file": earlier.file_name or _("no file name"),
                "person": earlier.imported_by.display_name,
                "at": f"{earlier.created_at:%Y-%m-%d %H:%M}",
                "rows": earlier.rows_written,
            }
        )


def _record(*, sponsor_id, imported_by, file_name: str, checksum: str, written: int, skipped: int) -> HourImport:
    """The import's record. The database refuses a second one of the same file for the sponsor
    (hour_import_checksum_once_per_sponsor): an upload racing another of the same file waits for
    it, then is refused as if it had come after."""
    record = HourImport(
        sponsor_id=sponsor_id,
        imported_by=imported_by,
        file_name=file_name[:255],
        checksum=checksum,
        rows_written=written,
        rows_skipped=skipped,
    )
    try:
        with transaction.atomic():
            with_reason(record, "imported", user=imported_by).save()
    except IntegrityError:
        _check_not_imported(sponsor_id=sponsor_id, checksum=checksum)
        raise
    return record


@dataclass
class ImportResult:
    record: HourImport
    logs: list[HourLog]
    skipped: list[dict]  # the rows skipped as duplicates: [{line, reason}]


def _line_errors(errors: dict[int, dict], lines: list[int]) -> StructuredValidationError:
    return StructuredValidationError(
        {"lines": [{"line": lines[position], "errors": errors[position]} for position in sorted(errors)]}
    )


def _entries_of_rows(rows: list[dict], named: dict[int, uuid.UUID], errors: dict) -> list[tuple[int, HourEntry]]:
    """The rows whose apprenticeship was found, as entries ([(position, entry)]); the errors of
    their shape go into `errors`."""
    kept = [position for position in named if position not in errors]
    items = [
        {**rows[position], "apprenticeship": str(named[position]), "date": iso_date(rows[position]["date"])}
        for position in kept
    ]
    entries, shape_errors = _entries(items)
    for index, item_errors in shape_errors.items():
        if "date" in item_errors:
            item_errors["date"] = [DATE_FORMATS]
        errors[kept[index]] = item_errors
    return [(kept[index], entry) for index, entry in entries]


def hour_logs_import(
    *, scope: Scope, imported_by, text: str, file_name: str = "", skip_duplicates: bool = False
) -> ImportResult:
    """A CSV file of logs (columns IMPORT_COLUMNS, import_csv.py, by name): all rows or none, and
    the import's record. `apprenticeship` is its id, the apprentice's e-mail or its RAPIDS
    apprentice id; `date` ISO or MM/DD/YYYY; `work_process` its id or its title. Bad input is a
    ValidationError on `file` (the file as a whole), or a StructuredValidationError `{"lines":
    [{"line", "errors"}]}` with the errors of every bad line, a row that repeats a recorded log or
    an earlier row among them unless `skip_duplicates`; a file the sponsor already imported is a
    Conflict naming that import; more rows than HOUR_LOG_IMPORT_MAX_ROWS is TooLarge."""
    if not (scope.staff_employer_ids or scope.admin_sponsor_ids):
        raise Forbidden(_("Employer staff and RAPS administrators import hours."))
    rows, lines, errors = read_rows(text)
    checksum = file_checksum(text)
    with transaction.atomic():
        named = _apprenticeships_named(
            scope=scope,
            values={
                position: rows[position]["apprenticeship"] for position in range(len(rows)) if position not in errors
            },
            errors=errors,
        )
        locked = ledger.lock_all(set(named.values()), scope=scope)
        sponsors = {apprenticeship.program.sponsor_id for apprenticeship in locked.values()}
        if len(sponsors) > 1:
            raise file_error(
                _("The rows name apprenticeships of several sponsors: import each sponsor's in its own file.")
            )
        # A file imported before had every row found: one with a row not found is not it (and
        # is not told about an import it may not know of).
        if sponsors and not errors:
            _check_not_imported(sponsor_id=next(iter(sponsors)), checksum=checksum)
        rest = _without_duplicates(
            _entries_of_rows(rows, named, errors), locked=locked, lines=lines, errors=errors, skip=skip_duplicates
        )
        positions, entries = [position for position, _ in rest.kept], [entry for _, entry in rest.kept]
        record = None
        if not errors and sponsors:
            record = _record(
                sponsor_id=next(iter(sponsors)),
                imported_by=imported_by,
                file_name=file_name,
                checksum=checksum,
                written=len(entries),
                skipped=len(rest.skipped),
            )
        logs: list[HourLog] = []
        if entries:
            try:
                # Rows with errors are not written; the others are checked all the same, so that
                # the answer holds the errors of every bad line at once.
                logs = hour_logs_create_all(
                    scope=scope, logged_by=imported_by, entries=entries, check_only=bool(errors), hour_import=record
                )
            except ItemErrors as failed:
                errors.update({positions[index]: item_errors for index, item_errors in failed.errors.items()})
        if errors:
            raise _line_errors(errors, lines)
    assert record is not None  # every row was found, so the rows' sponsor is known
    return ImportResult(record=record, logs=logs, skipped=rest.skipped)
