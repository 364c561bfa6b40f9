"""Hours written many at once: a list of logs (bulk) or a CSV file of them (import). All are
written, or none, with the errors of each bad item or line."""

import csv
import io

from django.conf import settings
from django.core.exceptions import ValidationError

from portal.errors import Forbidden, StructuredValidationError, TooLarge
from portal.tenancy import Scope

# The shape of one log is the API's input serializer: one definition of the fields and of
# their messages for the JSON endpoints and for the lines of a file alike.
from ..api.serializers.hours import HourLogInputSerializer
from ..models import HourLog
from .hours import HourEntry, ItemErrors, hour_logs_create_all

IMPORT_COLUMNS = ["apprenticeship", "date", "hours", "kind", "work_process", "description"]
_EXTRA_VALUES = "__extra__"


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


def _file_error(message: str) -> ValidationError:
    return ValidationError({"file": [message]})


def _rows(text: str) -> tuple[list[dict], list[int], dict[int, dict]]:
    """The file's rows as dicts of stripped values, each row's line number, and the errors of
    rows whose shape is wrong before any field is read ({position: errors})."""
    reader = csv.DictReader(io.StringIO(text), restkey=_EXTRA_VALUES)
    rows: list[dict] = []
    lines: list[int] = []
    shape_errors: dict[int, dict] = {}
    try:
        header = [name.strip().lower() for name in (reader.fieldnames or [])]
        if header != IMPORT_COLUMNS:
            found = ",".join(header) or "none"
            raise _file_error(f"The header is {','.join(IMPORT_COLUMNS)}; this file has {found}.")
        reader.fieldnames = header
        for row in reader:
            extra = row.pop(_EXTRA_VALUES, None)
            if not extra and not any((value or "").strip() for value in row.values()):
                continue  # a blank line
            if len(rows) >= settings.HOUR_LOG_IMPORT_MAX_ROWS:
                raise TooLarge(f"At most {settings.HOUR_LOG_IMPORT_MAX_ROWS} rows per file.")
            if extra:
                shape_errors[len(rows)] = {
                    "non_field_errors": [
                        f"This line has {len(IMPORT_COLUMNS) + len(extra)} values, the header "
                        f"{len(IMPORT_COLUMNS)}: quote a value that holds a comma."
                    ]
                }
            rows.append({key: (value or "").strip() for key, value in row.items()})
            lines.append(reader.line_num)
    except csv.Error as error:
        raise _file_error(f"Line {reader.line_num}: {error}.") from error
    if not rows:
        raise _file_error("The file has no rows.")
    return rows, lines, shape_errors


def hour_logs_import(*, scope: Scope, imported_by, text: str) -> list[HourLog]:
    """A CSV file of logs (`apprenticeship,date,hours,kind,work_process,description`): all rows
    or none. `work_process` is its id or its title. Bad input is a ValidationError on `file`
    (the file as a whole), or a StructuredValidationError `{"lines": [{"line", "errors"}]}` with
    the errors of every bad line; more rows than HOUR_LOG_IMPORT_MAX_ROWS is TooLarge."""
    if not (scope.staff_employer_ids or scope.admin_sponsor_ids):
        raise Forbidden("Employer staff and RAPS administrators import hours.")
    rows, lines, shape_errors = _rows(text)
    kept = [position for position in range(len(rows)) if position not in shape_errors]
    errors = dict(shape_errors)
    logs: list[HourLog] = []
    try:
        # Rows of a wrong shape are not read; the others are checked all the same, so that the
        # answer holds the errors of every bad line at once.
        logs = hour_logs_create_from_items(
            scope=scope,
            logged_by=imported_by,
            items=[rows[position] for position in kept],
            check_only=bool(shape_errors),
        )
    except ItemErrors as failed:
        errors.update({kept[index]: item_errors for index, item_errors in failed.errors.items()})
    if errors:
        raise StructuredValidationError(
            {"lines": [{"line": lines[position], "errors": errors[position]} for position in sorted(errors)]}
        )
    return logs
