"""Who may do what to whose records: every operation of the schema, for every role, on records
of the role's own scope and of every other scope (the world is in conftest.py).

The rules are the API contract's: a record outside the caller's scope answers 404 as if it did
not exist; a record the caller reads but may not act on answers 403; a record named in a body
that is outside the caller's scope is a bad value (400); anonymous callers get 401. Any 2xx
body must hold no id of a record the caller may not read.

The operations come from the schema: an operation without a row in `OPERATIONS` fails, and so
does a row for an operation the schema no longer has.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from tests.apprenticeships.helpers import registration_body
from tests.programs.helpers import program_body
from tests.security.conftest import EMPLOYER_SPONSORS, ROLES, Record, World

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
SCHEMA = SchemaGenerator().get_schema(request=None, public=True)
SCHEMA_OPERATIONS = {
    operation["operationId"]: (method, path)
    for path, item in SCHEMA["paths"].items()
    for method, operation in item.items()
    if method in HTTP_METHODS
}
API_OPERATIONS = sorted(op for op, (_, path) in SCHEMA_OPERATIONS.items() if not path.startswith("/_allauth/"))

# --- who reads what ------------------------------------------------------------------------------

APPRENTICESHIP_KEYED = (
    "apprenticeships",
    "hour-logs",
    "competency-signoffs",
    "milestones",
    "documents",
    "reviews",
    "aid-requests",
)


def _staff_at(role, sponsor: str, employer: str) -> bool:
    """Employer staff at `employer`, for `sponsor`'s programs there."""
    return role.is_employer_staff and role.employer == employer and role.sponsor in (None, sponsor)


def _staff_for(role, sponsor: str) -> bool:
    """Employer staff whose employer takes part in `sponsor`'s programs, for them."""
    return (
        role.is_employer_staff
        and _staff_at(role, sponsor, role.employer)
        and sponsor in EMPLOYER_SPONSORS[role.employer]
    )


def reads(name: str, record: Record) -> bool:
    """Whether the role `name` reads `record`. Employer staff granted by a sponsor's RAPS admin
    read that sponsor's records at their employer only, never another sponsor's there."""
    role = ROLES[name]
    if role.kind == "anonymous":
        return False
    resource = record.resource
    if resource == "occupations":
        return True
    if resource == "notifications":
        return record.owner == name
    if resource == "sponsors":
        return (role.kind == "raps_admin" and role.sponsor == record.key) or _staff_for(role, record.key)
    if resource == "employers":
        if role.kind == "raps_admin":
            return role.sponsor in EMPLOYER_SPONSORS[record.employer]
        return role.is_employer_staff and role.employer == record.employer
    if resource == "programs":
        if role.kind in ("raps_admin", "apprentice"):
            return role.sponsor == record.sponsor
        return _staff_for(role, record.sponsor)
    if resource in APPRENTICESHIP_KEYED:
        if role.kind == "raps_admin":
            return role.sponsor == record.sponsor
        if role.kind == "apprentice":
            return (role.sponsor, role.employer) == (record.sponsor, record.employer)
        return _staff_at(role, record.sponsor, record.employer)
    if resource in ("funds", "priority-populations"):
        return role.kind == "raps_admin" and role.sponsor == record.sponsor
    if resource == "hour-imports":
        return record.owner == name or (role.kind == "raps_admin" and role.sponsor == record.sponsor)
    if resource == "invitations":
        if role.kind == "raps_admin":
            return role.sponsor == record.sponsor
        return role.kind == "employer_admin" and _staff_at(role, record.sponsor, record.employer)
    raise AssertionError(f"No read rule for {resource}")


# --- the rules -------------------------------------------------------------------------------------

Expect = Callable[[str, Record | None], set[int]]


def anyone(name, role, record) -> bool:
    return True


def raps_admin(name, role, record) -> bool:
    return role.kind == "raps_admin"


def employer_staff(name, role, record) -> bool:
    return role.is_employer_staff


def platform_staff(name, role, record) -> bool:
    return role.kind == "platform_staff"


def owner(name, role, record) -> bool:
    return record.owner == name


def on_record(may=anyone, ok: int = 200) -> Expect:
    """A record in the path: out of scope 404; in scope `ok` if the role may, else 403."""

    def expect(name, record):
        role = ROLES[name]
        if role.kind == "anonymous":
            return {401}
        if not reads(name, record):
            return {404}
        return {ok} if may(name, role, record) else {403}

    return expect


def naming_record(may=anyone, ok: int = 201, gate=anyone, denied=frozenset({403})) -> Expect:
    """A write whose body names a record: a role that may never do it 403 (before the body is
    read); a named record out of scope 400; in scope `ok` if the role may, else `denied`."""

    def expect(name, record):
        role = ROLES[name]
        if role.kind == "anonymous":
            return {401}
        if not gate(name, role, record):
            return {403}
        if not reads(name, record):
            return {400}
        return {ok} if may(name, role, record) else set(denied)

    return expect


def signed_in(may=anyone, ok: int = 200) -> Expect:
    """No record: anyone signed in gets `ok` if they may, else 403."""

    def expect(name, record):
        role = ROLES[name]
        if role.kind == "anonymous":
            return {401}
        return {ok} if may(name, role, None) else {403}

    return expect


def invitation_create(name, record):
    """RAPS admins invite into their sponsor (and its employers); employer admins their own
    staff, for the sponsors of their grant (no sponsor named: their own grant). Anything else
    named is a bad value."""
    role = ROLES[name]
    if role.kind == "anonymous":
        return {401}
    if role.kind not in ("raps_admin", "employer_admin"):
        return {403}
    own_staff = role.kind == "employer_admin" and role.employer == record.employer
    if record.resource == "invitations":
        # Naming the invitation's sponsor and employer.
        if role.kind == "raps_admin":
            return {201} if reads(name, record) else {400}
        return {201} if own_staff and role.sponsor in (None, record.sponsor) else {400}
    return {201} if own_staff else {400}


@dataclass(frozen=True)
class Op:
    expect: Expect
    resource: str | None = None  # the records aimed at (in the path, or named in the body)
    state: str | None = None  # hour logs: aim only at logs in this state
    body: Callable[[World, Record | None], object] | None = None
    multipart: bool = False
    is_list: bool = False  # the response lists exactly the records of `resource` the caller reads
    extra_targets: str | None = None  # a second set of records aimed at


def _log_body(world, record):
    apprenticeship = record.obj
    process = apprenticeship.program.work_processes.get()
    return {
        "apprenticeship": str(apprenticeship.pk),
        "date": "2025-03-10",
        "hours": "2.00",
        "kind": "ojt",
        "work_process": str(process.pk),
    }


def _document_body(world, record):
    upload = SimpleUploadedFile("matrix.pdf", b"%PDF-1.4 matrix upload", content_type="application/pdf")
    return {"kind": "evidence", "title": "Matrix upload", "file": upload}


def uploader_or_raps_admin(name, role, record) -> bool:
    return record.owner == name or role.kind == "raps_admin"


def _import_body(world, record):
    entry = _log_body(world, record)
    text = "apprenticeship,date,hours,kind,work_process,description\n"
    text += f"{entry['apprenticeship']},{entry['date']},{entry['hours']},ojt,{entry['work_process']},matrix\n"
    return {"file": SimpleUploadedFile("hours.csv", text.encode(), content_type="text/csv")}


def _signoff_body(world, record):
    apprenticeship = record.obj
    competency = apprenticeship.program.work_processes.get().competencies.order_by("code").last()
    return {"apprenticeship": str(apprenticeship.pk), "competency": str(competency.pk), "rating": "advanced"}


def _register_body(world, record):
    return registration_body(record.obj.program, record.obj.employer, apprentice_email="matrix.new@example.org")


def _invite_body(world, record):
    body = {"email": "matrix.invitee@example.org", "role": "supervisor"}
    if record.resource == "invitations":
        return {**body, "sponsor": str(record.obj.sponsor_id), "employer": str(record.obj.employer_id)}
    return {**body, "employer": str(record.obj.pk)}


read = on_record()
read_list = signed_in()

OPERATIONS: dict[str, Op] = {
    "v1_me_retrieve": Op(signed_in()),
    "v1_me_partial_update": Op(signed_in(), body=lambda w, r: {"language": "en"}),
    # The audit trail: RAPS admins (their sponsor's records), employer admins (their employer's share).
    "v1_audit_retrieve": Op(signed_in(lambda name, role, record: role.kind in ("raps_admin", "employer_admin"))),
    # sponsors
    "v1_sponsors_list": Op(read_list, "sponsors", is_list=True),
    "v1_sponsors_retrieve": Op(read, "sponsors"),
    "v1_sponsors_partial_update": Op(on_record(raps_admin), "sponsors", body=lambda w, r: {"contact_name": "Matrix"}),
    # employers
    "v1_employers_list": Op(read_list, "employers", is_list=True),
    "v1_employers_retrieve": Op(read, "employers"),
    "v1_employers_history_list": Op(read, "employers"),
    "v1_employers_partial_update": Op(on_record(raps_admin), "employers", body=lambda w, r: {"city": "Pasadena"}),
    "v1_employers_create": Op(
        naming_record(gate=raps_admin),
        "sponsors",
        body=lambda w, r: {"name": "Matrix Employer", "sponsor": r.id},
    ),
    # invitations
    "v1_invitations_list": Op(read_list, "invitations", is_list=True),
    "v1_invitations_retrieve": Op(read, "invitations"),
    "v1_invitations_revoke_create": Op(read, "invitations"),
    "v1_invitations_create": Op(invitation_create, "invitations", body=_invite_body, extra_targets="employers"),
    # Public: the token is the credential. An unknown token is a bad value for everyone.
    "v1_invitations_accept_create": Op(lambda name, record: {400}, body=lambda w, r: {"token": "not-a-token"}),
    # occupations: the catalog is everyone's to read and platform staff's to change
    "v1_occupations_list": Op(read_list),
    "v1_occupations_retrieve": Op(read, "occupations"),
    "v1_occupations_partial_update": Op(
        on_record(platform_staff), "occupations", body=lambda w, r: {"description": "Matrix"}
    ),
    "v1_occupations_create": Op(
        signed_in(platform_staff, ok=201),
        body=lambda w, r: {"title": "Matrix Occupation", "onet_soc_code": "15-1254", "training_approach": "hybrid"},
    ),
    # programs
    "v1_programs_list": Op(read_list, "programs", is_list=True),
    "v1_programs_retrieve": Op(read, "programs"),
    "v1_programs_history_list": Op(read, "programs"),
    "v1_programs_partial_update": Op(on_record(raps_admin), "programs", body=lambda w, r: {"rti_provider": "Matrix"}),
    "v1_programs_create": Op(
        naming_record(gate=raps_admin),
        "sponsors",
        body=lambda w, r: program_body(w.records["occupations"][0].obj, sponsor=r.id, title="Matrix Program"),
    ),
    # apprenticeships
    "v1_apprenticeships_list": Op(read_list, "apprenticeships", is_list=True),
    "v1_apprenticeships_retrieve": Op(read, "apprenticeships"),
    "v1_apprenticeships_history_list": Op(read, "apprenticeships"),
    "v1_apprenticeships_progress_retrieve": Op(read, "apprenticeships"),
    "v1_apprenticeships_progress_svg_retrieve": Op(read, "apprenticeships"),
    # The completion packet: read with the apprenticeship; regenerated by RAPS admins (409 until
    # completed). Interim credentials: asked for by RAPS admins (400 while the work process is
    # not complete).
    "v1_apprenticeships_completion_packet_retrieve": Op(read, "apprenticeships"),
    "v1_apprenticeships_completion_packet_create": Op(on_record(raps_admin, ok=409), "apprenticeships"),
    "v1_apprenticeships_credentials_list": Op(read, "apprenticeships"),
    "v1_apprenticeships_credentials_create": Op(
        on_record(raps_admin, ok=400),
        "apprenticeships",
        body=lambda w, r: {"work_process": str(r.obj.program.work_processes.order_by("position").first().pk)},
    ),
    "v1_apprenticeships_partial_update": Op(
        on_record(raps_admin), "apprenticeships", body=lambda w, r: {"expected_end_date": "2027-01-29"}
    ),
    "v1_apprenticeships_transition_create": Op(
        on_record(raps_admin), "apprenticeships", body=lambda w, r: {"to": "suspended", "reason": "Matrix"}
    ),
    # The document vault, nested under its apprenticeship and scoped like it.
    "v1_apprenticeships_documents_list": Op(read, "apprenticeships"),
    "v1_apprenticeships_documents_create": Op(
        on_record(ok=201), "apprenticeships", body=_document_body, multipart=True
    ),
    "v1_apprenticeships_documents_retrieve": Op(read, "documents"),
    "v1_apprenticeships_documents_download_retrieve": Op(read, "documents"),
    "v1_apprenticeships_documents_history_list": Op(read, "documents"),
    "v1_apprenticeships_documents_withdraw_create": Op(
        on_record(uploader_or_raps_admin), "documents", body=lambda w, r: {"reason": "Matrix"}
    ),
    "v1_apprenticeships_create": Op(naming_record(gate=raps_admin), "apprenticeships", body=_register_body),
    # the agreement: its readers read it; the apprentice, employer admins and RAPS admins sign it
    # (an empty typed name: a 400 to a signer, once the role is known; a supervisor 403)
    "v1_apprenticeships_agreement_retrieve": Op(read, "apprenticeships"),
    "v1_apprenticeships_agreement_sign_create": Op(
        on_record(lambda name, role, record: role.kind in ("raps_admin", "employer_admin", "apprentice"), ok=400),
        "apprenticeships",
        body=lambda w, r: {"typed_name": "", "consent": True, "sha256": "0" * 64},
    ),
    # hour logs: employer staff log OJT approved on entry, apprentices submit theirs
    "v1_hour_logs_list": Op(read_list, "hour-logs", is_list=True),
    "v1_hour_logs_retrieve": Op(read, "hour-logs"),
    "v1_hour_logs_history_list": Op(read, "hour-logs"),
    "v1_hour_logs_partial_update": Op(
        on_record(owner), "hour-logs", state="submitted", body=lambda w, r: {"description": "Matrix"}
    ),
    "v1_hour_logs_withdraw_create": Op(on_record(owner), "hour-logs", state="submitted"),
    "v1_hour_logs_approve_create": Op(on_record(employer_staff), "hour-logs", state="submitted"),
    "v1_hour_logs_reject_create": Op(
        on_record(employer_staff), "hour-logs", state="submitted", body=lambda w, r: {"reason": "Matrix"}
    ),
    # Bulk decisions: a log named in the body out of scope is a bad value (400, as an unknown id).
    "v1_hour_logs_approve_all_create": Op(
        naming_record(employer_staff, ok=200), "hour-logs", state="submitted", body=lambda w, r: {"ids": [r.id]}
    ),
    "v1_hour_logs_reject_all_create": Op(
        naming_record(employer_staff, ok=200),
        "hour-logs",
        state="submitted",
        body=lambda w, r: {"ids": [r.id], "reason": "Matrix"},
    ),
    "v1_hour_logs_void_create": Op(
        on_record(lambda n, role, r: role.kind == "raps_admin" or role.is_employer_staff),
        "hour-logs",
        state="approved",
        body=lambda w, r: {"reason": "Matrix"},
    ),
    "v1_hour_logs_create": Op(
        naming_record(lambda n, role, r: role.is_employer_staff or role.kind == "apprentice"),
        "apprenticeships",
        body=_log_body,
    ),
    # A refused item is reported among the items' errors (400).
    "v1_hour_logs_bulk_create": Op(
        naming_record(lambda n, role, r: role.is_employer_staff or role.kind == "apprentice", denied={400, 403}),
        "apprenticeships",
        body=lambda w, r: [_log_body(w, r)],
    ),
    "v1_hour_logs_import_create": Op(
        naming_record(
            employer_staff,
            gate=lambda n, role, r: role.kind == "raps_admin" or role.is_employer_staff,
            denied={400, 403},
        ),
        "apprenticeships",
        body=_import_body,
        multipart=True,
    ),
    # hour imports: the importer's own, and the sponsor's for its RAPS admins
    "v1_hour_imports_list": Op(read_list, "hour-imports", is_list=True),
    "v1_hour_imports_retrieve": Op(read, "hour-imports"),
    # competency sign-offs: employer staff sign off
    "v1_competency_signoffs_list": Op(read_list, "competency-signoffs", is_list=True),
    "v1_competency_signoffs_retrieve": Op(read, "competency-signoffs"),
    "v1_competency_signoffs_history_list": Op(read, "competency-signoffs"),
    "v1_competency_signoffs_create": Op(naming_record(employer_staff), "apprenticeships", body=_signoff_body),
    # milestones: the sponsor's RAPS admins decide
    "v1_milestones_list": Op(read_list, "milestones", is_list=True),
    "v1_milestones_retrieve": Op(read, "milestones"),
    "v1_milestones_history_list": Op(read, "milestones"),
    "v1_milestones_approve_create": Op(on_record(raps_admin), "milestones", body=lambda w, r: {}),
    "v1_milestones_reject_create": Op(on_record(raps_admin), "milestones", body=lambda w, r: {"reason": "Matrix"}),
    "v1_milestones_approve_all_create": Op(
        naming_record(raps_admin, ok=200), "milestones", body=lambda w, r: {"ids": [r.id]}
    ),
    "v1_milestones_reject_all_create": Op(
        naming_record(raps_admin, ok=200), "milestones", body=lambda w, r: {"ids": [r.id], "reason": "Matrix"}
    ),
    # progress reviews: the mentor (with none, the employer's staff) writes, the apprentice signs
    "v1_apprenticeships_reviews_retrieve": Op(read, "apprenticeships"),
    "v1_apprenticeships_reviews_create": Op(
        on_record(employer_staff, ok=201), "apprenticeships", body=lambda w, r: {"period": 3}
    ),
    "v1_reviews_retrieve": Op(read, "reviews"),
    "v1_reviews_partial_update": Op(
        on_record(employer_staff), "reviews", state="draft", body=lambda w, r: {"comments": "Matrix"}
    ),
    "v1_reviews_submit_create": Op(on_record(employer_staff), "reviews", state="draft"),
    "v1_reviews_acknowledge_create": Op(
        on_record(owner),
        "reviews",
        state="submitted",
        body=lambda w, r: {"typed_name": r.obj.apprenticeship.apprentice.display_name, "consent": True},
    ),
    # the review queue: what waits for the caller's own decision (nothing, for whoever decides nothing)
    "v1_review_queue_retrieve": Op(signed_in()),
    # notifications: the recipient's own
    "v1_notifications_list": Op(read_list, "notifications", is_list=True),
    "v1_notifications_retrieve": Op(read, "notifications"),
    "v1_notifications_read_create": Op(read, "notifications"),
    "v1_notifications_read_all_create": Op(signed_in()),
    "v1_notification_preferences_list": Op(signed_in()),
    "v1_notification_preferences_update": Op(
        signed_in(), body=lambda w, r: [{"event": "hours_approved", "in_app": True, "email": False}]
    ),
    # the Worker Equity Fund: funds are the sponsor's RAPS admins' alone; anyone who reads an
    # apprenticeship asks for aid on it; the sponsor's RAPS admins decide and pay; the asker withdraws
    "v1_funds_list": Op(read_list, "funds", is_list=True),
    "v1_funds_retrieve": Op(read, "funds"),
    "v1_funds_history_list": Op(read, "funds"),
    "v1_funds_partial_update": Op(
        on_record(raps_admin), "funds", body=lambda w, r: {"source": "Matrix", "reason": "Matrix"}
    ),
    "v1_funds_create": Op(
        naming_record(gate=raps_admin),
        "sponsors",
        body=lambda w, r: {
            "sponsor": r.id,
            "name": "Matrix Fund",
            "source": "Matrix",
            "amount": "100.00",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
        },
    ),
    "v1_aid_requests_list": Op(read_list, "aid-requests", is_list=True),
    "v1_aid_requests_retrieve": Op(read, "aid-requests"),
    "v1_aid_requests_history_list": Op(read, "aid-requests"),
    "v1_aid_requests_create": Op(
        naming_record(),
        "apprenticeships",
        body=lambda w, r: {
            "apprenticeship": r.id,
            "amount_requested": "100.00",
            "barrier_category": "technology",
            "description": "Matrix",
        },
    ),
    "v1_aid_requests_approve_create": Op(
        on_record(raps_admin), "aid-requests", state="requested", body=lambda w, r: {"amount": "50.00"}
    ),
    "v1_aid_requests_deny_create": Op(
        on_record(raps_admin), "aid-requests", state="requested", body=lambda w, r: {"reason": "Matrix"}
    ),
    "v1_aid_requests_pay_create": Op(
        on_record(raps_admin),
        "aid-requests",
        state="approved",
        body=lambda w, r: {"paid_on": timezone.localdate().isoformat(), "method": "check"},
    ),
    "v1_aid_requests_withdraw_create": Op(on_record(owner), "aid-requests", state="requested"),
    "v1_reports_aid_retrieve": Op(signed_in(lambda n, role, r: role.kind in ("raps_admin", "apprentice"))),
    # reports
    "v1_reports_summary_retrieve": Op(signed_in(lambda n, role, r: role.kind in ("raps_admin", "employer_admin"))),
    # RAPS admins (their sponsor's) and employer staff (their employer's); apprentices 403.
    "v1_reports_work_summary_retrieve": Op(
        signed_in(lambda n, role, r: role.kind == "raps_admin" or role.is_employer_staff)
    ),
    "v1_reports_rapids_apprentices_csv_retrieve": Op(signed_in(raps_admin)),
    "v1_reports_rapids_exits_csv_retrieve": Op(signed_in(raps_admin)),
    "v1_reports_equity_retrieve": Op(signed_in(lambda n, role, r: role.kind in ("raps_admin", "employer_admin"))),
    # priority populations: the sponsor's RAPS admins' only
    "v1_priority_populations_list": Op(read_list, "priority-populations", is_list=True),
    "v1_priority_populations_retrieve": Op(read, "priority-populations"),
    "v1_priority_populations_history_list": Op(read, "priority-populations"),
    "v1_priority_populations_partial_update": Op(
        on_record(raps_admin), "priority-populations", body=lambda w, r: {"description": "Matrix"}
    ),
    "v1_priority_populations_create": Op(
        naming_record(gate=raps_admin),
        "sponsors",
        body=lambda w, r: {"name": "Matrix new", "criterion": "disability", "sponsor": r.id},
    ),
}

# allauth's headless operations: the sign-in flows themselves, public by design (they are how a
# caller gets signed in) and tested in tests/auth. Listed so that none is added unnoticed (the flows the
# portal does not support are not served at all: test_allauth_endpoints.py).
AUTH_FLOW = "allauth headless sign-in flow: public by design; tests/auth"
ALLAUTH_OPERATIONS: dict[str, str] = {
    "allauth_client_v1_config_get": "allauth headless configuration: public",
    "allauth_client_v1_auth_login_post": AUTH_FLOW,
    "allauth_client_v1_auth_signup_post": AUTH_FLOW,
    "allauth_client_v1_auth_email_verify_get": AUTH_FLOW,
    "allauth_client_v1_auth_email_verify_post": AUTH_FLOW,
    "allauth_client_v1_auth_password_request_post": AUTH_FLOW,
    "allauth_client_v1_auth_password_reset_get": AUTH_FLOW,
    "allauth_client_v1_auth_password_reset_post": AUTH_FLOW,
    "allauth_client_v1_account_email_get": "the caller's own addresses; see test_allauth_account_email_is_the_callers_own",
    "allauth_client_v1_account_email_post": "the caller's own addresses",
    "allauth_client_v1_account_email_put": "the caller's own addresses",
    "allauth_client_v1_account_email_patch": "the caller's own addresses",
    "allauth_client_v1_account_email_delete": "the caller's own addresses",
    "allauth_client_v1_auth_session_get": "the caller's own session; see test_allauth_session_answers_401_when_signed_out",
    "allauth_client_v1_auth_session_delete": "log-out of the caller's own session",
    "allauth_client_v1_account_password_change_post": "the caller's own password",
}


# --- running it ------------------------------------------------------------------------------------


def _known_ids(world: World, name: str) -> set[str]:
    """The ids a role may meet in a body: the records it reads and those they name."""
    known = set()
    for record in world.all_records():
        if reads(name, record):
            known |= {record.id, *record.refs}
    return known


def _call(client, method, path, op: Op, world, record):
    body = op.body(world, record) if op.body else None
    kwargs = {}
    if body is not None:
        kwargs = {"data": body, "format": "multipart"} if op.multipart else {"data": body, "format": "json"}
    # Every call is undone, so that each one meets the world as it was built.
    with transaction.atomic():
        response = getattr(client, method)(path, **kwargs)
        transaction.set_rollback(True)
    return response


def _body_text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode(errors="replace")


@pytest.mark.parametrize("operation_id", API_OPERATIONS)
def test_operation_answers_each_role_as_the_contract_says(db, world, clients, operation_id):
    assert operation_id in OPERATIONS, f"{operation_id} has no row in the authorization matrix: add one"
    method, template = SCHEMA_OPERATIONS[operation_id]
    op = OPERATIONS[operation_id]
    all_ids = {record.id for record in world.all_records()}
    targets: list[Record | None] = [None]
    if op.resource and not op.is_list:
        targets = [r for r in world.records[op.resource] if op.state is None or r.state == op.state]
        if op.extra_targets:
            targets += world.records[op.extra_targets]
    failures = []
    for name in ROLES:
        foreign = all_ids - _known_ids(world, name)
        for record in targets:
            path = template.replace("{id}", record.id) if "{id}" in template else template
            if "{apprenticeship_id}" in path:
                path = path.replace("{apprenticeship_id}", record.apprenticeship_id)
            expected = op.expect(name, record)
            response = _call(clients[name], method, path, op, world, record)
            where = f"{name} {method.upper()} {path}" + (f" ({record.resource} {record.key})" if record else "")
            if response.status_code not in expected:
                failures.append(f"{where}: expected {sorted(expected)}, got {response.status_code}")
            if 200 <= response.status_code < 300:
                text = _body_text(response)
                leaked = sorted(record_id for record_id in foreign if record_id in text)
                if leaked:
                    failures.append(f"{where}: the body holds ids the caller may not read: {leaked}")
                if op.is_list:
                    listed = {str(row["id"]) for row in json.loads(text)["results"]}
                    due = {r.id for r in world.records[op.resource] if reads(name, r)}
                    if listed != due:
                        failures.append(f"{where}: listed {len(listed)} records, {len(due)} due: {listed ^ due}")
    assert not failures, "\n".join(failures)


def test_every_row_names_an_operation_the_server_serves(client):
    served = client.get("/api/schema/?format=json").json()
    operations = {
        operation["operationId"]
        for item in served["paths"].values()
        for method, operation in item.items()
        if method in HTTP_METHODS
    }
    assert set(SCHEMA_OPERATIONS) == operations
    stale = (set(OPERATIONS) | set(ALLAUTH_OPERATIONS)) - operations
    assert not stale, f"rows for operations the schema no longer has: {sorted(stale)}"


def test_every_allauth_operation_is_listed():
    allauth = {op for op, (_, path) in SCHEMA_OPERATIONS.items() if path.startswith("/_allauth/")}
    assert allauth - set(ALLAUTH_OPERATIONS) == set(), "list every allauth operation with the reason it is public"


@pytest.mark.parametrize("path", sorted(p for p in SCHEMA["paths"] if not p.startswith("/_allauth/")))
def test_methods_the_schema_does_not_list_answer_405(db, clients, path):
    # The method is refused before any record is looked up: any id will do.
    client = clients["s1_raps_admin"]
    concrete = re.sub(r"\{[a-z_]+\}", "00000000-0000-0000-0000-000000000000", path)
    documented = set(SCHEMA["paths"][path])
    answered = {
        method: getattr(client, method)(concrete).status_code for method in HTTP_METHODS if method not in documented
    }
    assert answered == dict.fromkeys(answered, 405)


def test_allauth_session_answers_401_when_signed_out(db, world, clients):
    assert clients["anonymous"].get("/_allauth/browser/v1/auth/session").status_code == 401
    response = clients["s1_shared_supervisor"].get("/_allauth/browser/v1/auth/session")
    assert response.status_code == 200
    assert response.json()["data"]["user"]["email"] == world.users["s1_shared_supervisor"].email


def test_allauth_account_email_is_the_callers_own(db, world, clients):
    response = clients["s1_raps_admin"].get("/_allauth/browser/v1/account/email")
    assert response.status_code == 200
    assert [address["email"] for address in response.json()["data"]] == [world.users["s1_raps_admin"].email]
