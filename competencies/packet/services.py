"""Writes of the completion packet and the interim credentials: render from the record, file in
the vault (verifiable), supersede on regeneration. Nothing here deletes a document.

Each function locks the apprenticeship (FOR NO KEY UPDATE: rows that only refer to it are
still written meanwhile), so that two runs of the same work (the task enqueued at commit and
the sweep) never file a document twice; an interim credential is once per work process in the
database as well (interim_credential_once_per_work_process).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from apprenticeships.models import (
    Apprenticeship,
    ApprenticeshipStatus,
    Competency,
    Document,
    DocumentKind,
    DocumentStatus,
    WorkProcess,
    new_verification_code,
)
from apprenticeships.services.documents import document_file
from portal.errors import Conflict, Forbidden
from portal.history import with_reason
from portal.models import User
from portal.tenancy import Scope

from ..models import InterimCredential, WorkProcessTotal
from . import record as records
from .application import application_pdf, application_title
from .credentials import credential_pdf, credential_title
from .transcript import transcript_pdf, transcript_title

PACKET_KINDS = (DocumentKind.TRANSCRIPT, DocumentKind.APPLICATION)
_LAYOUTS = {
    DocumentKind.TRANSCRIPT: (transcript_pdf, transcript_title, "transcript.pdf"),
    DocumentKind.APPLICATION: (application_pdf, application_title, "completion-application.pdf"),
}


def _lock(apprenticeship_id) -> Apprenticeship:
    return Apprenticeship.objects.select_for_update(no_key=True).get(pk=apprenticeship_id)


def packet_documents(apprenticeship_id) -> dict[str, Document]:
    """The current transcript and completion application the portal generated, by kind."""
    return {
        document.kind: document
        for document in Document.objects.filter(
            apprenticeship_id=apprenticeship_id, kind__in=PACKET_KINDS, generated=True, status=DocumentStatus.CURRENT
        )
    }


def packet_issue(*, apprenticeship_id, regenerate: bool = False, requested_by: User | None = None) -> dict:
    """File the completion packet of a completed apprenticeship: its transcript and its
    completion application, each a verifiable PDF. Without `regenerate`, a kind already
    generated once (whatever became of it since) is not generated again: this is what the
    completion and the sweep call, any number of times. With `regenerate`, both are rendered
    anew from the record and supersede the current ones. Returns the current documents by
    kind ({} when the apprenticeship is not completed)."""
    with transaction.atomic():
        apprenticeship = _lock(apprenticeship_id)
        if apprenticeship.status != ApprenticeshipStatus.COMPLETED:
            return {}
        current = packet_documents(apprenticeship_id)
        ever = set(
            Document.objects.filter(
                apprenticeship_id=apprenticeship_id, kind__in=PACKET_KINDS, generated=True
            ).values_list("kind", flat=True)
        )
        due = [kind for kind in PACKET_KINDS if regenerate or kind not in ever]
        if not due:
            return current
        record = records.record_of(apprenticeship_id)
        if regenerate:
            who = requested_by.display_name if requested_by else _("the portal")
            reason = _("regenerated from the record at the request of %(who)s") % {"who": who}
        else:
            reason = _("generated at completion")
        for kind in due:
            render, title, filename = _LAYOUTS[kind]
            code = new_verification_code()
            content = render(record, code=code, issued_on=timezone.localdate())
            current[kind] = document_file(
                apprenticeship=apprenticeship,
                kind=kind,
                title=title(record)[:200],
                content=content,
                filename=filename,
                content_type="application/pdf",
                by=None,
                reason=reason,
                verifiable=True,
                supersedes=current.get(kind),
                verification_code=code,
            )
    return current


def packet_regenerate(*, scope: Scope, apprenticeship: Apprenticeship, requested_by: User) -> dict:
    """A RAPS admin asks for the packet again (the record was corrected): both documents are
    rendered anew and supersede the current ones. 409 unless the apprenticeship is completed."""
    if not scope.is_raps_admin(apprenticeship.program.sponsor_id):
        raise Forbidden(_("Only the sponsor's RAPS administrators regenerate the completion packet."))
    if apprenticeship.status != ApprenticeshipStatus.COMPLETED:
        raise Conflict(_("Only a completed apprenticeship has a completion packet."))
    return packet_issue(apprenticeship_id=apprenticeship.pk, regenerate=True, requested_by=requested_by)


def _credential_file(apprenticeship: Apprenticeship, line: records.WorkProcessLine, requested_by: User | None):
    name = records.apprentice_name(apprenticeship)
    competencies = [c for c in records.competency_lines(apprenticeship) if c.work_process == line.title]
    code = new_verification_code()
    issued_on = timezone.localdate()
    content = credential_pdf(
        apprenticeship=apprenticeship, name=name, line=line, competencies=competencies, code=code, issued_on=issued_on
    )
    reason = (
        _("interim credential: %(work_process)s completed") % {"work_process": line.title}
        if requested_by is None
        else _("interim credential: %(work_process)s, at the request of %(who)s")
        % {"work_process": line.title, "who": requested_by.display_name}
    )
    document = document_file(
        apprenticeship=apprenticeship,
        kind=DocumentKind.CREDENTIAL,
        title=credential_title(name, line.title)[:200],
        content=content,
        filename="interim-credential.pdf",
        content_type="application/pdf",
        by=None,
        reason=reason,
        verifiable=True,
        verification_code=code,
    )
    credential = InterimCredential(
        apprenticeship=apprenticeship,
        work_process_id=line.id,
        document=document,
        issued_on=issued_on,
        requested_by=requested_by,
    )
    with_reason(credential, reason, user=requested_by).save()
    return credential


def credentials_issue_due(*, apprenticeship_id) -> list[InterimCredential]:
    """Issue an interim credential for each work process of the apprenticeship that is complete
    (its target hours approved, every competency signed off) and has none yet. Any number of
    runs issue each once."""
    with transaction.atomic():
        _lock(apprenticeship_id)
        apprenticeship = records.loaded(apprenticeship_id)
        issued = set(
            InterimCredential.objects.filter(apprenticeship_id=apprenticeship_id).values_list(
                "work_process_id", flat=True
            )
        )
        return [
            _credential_file(apprenticeship, line, None)
            for line in records.work_process_lines(apprenticeship)
            if line.complete and line.id not in issued
        ]


def credential_request(
    *, scope: Scope, apprenticeship: Apprenticeship, work_process: WorkProcess, requested_by: User
) -> InterimCredential:
    """A RAPS admin asks for the interim credential of a work process: 400 on `work_process`
    when it is not the program's or not complete, 409 when it was issued already."""
    apprenticeship = records.loaded(apprenticeship.pk)
    if not scope.is_raps_admin(apprenticeship.program.sponsor_id):
        raise Forbidden(_("Only the sponsor's RAPS administrators issue interim credentials."))
    if work_process.program_id != apprenticeship.program_id:
        raise ValidationError({"work_process": [_("This work process is not in the apprenticeship's program.")]})
    with transaction.atomic():
        _lock(apprenticeship.pk)
        if InterimCredential.objects.filter(apprenticeship=apprenticeship, work_process=work_process).exists():
            raise Conflict(_("The interim credential of this work process was issued already."))
        line = next(line for line in records.work_process_lines(apprenticeship) if line.id == work_process.pk)
        if not line.complete:
            raise ValidationError(
                {
                    "work_process": [
                        _(
                            "This work process is not complete: %(hours)s of %(target)s hours approved, "
                            "%(done)s of %(competencies)s competencies signed off."
                        )
                        % {
                            "hours": line.approved_hours,
                            "target": line.target_hours,
                            "done": line.signed_off,
                            "competencies": line.competencies,
                        }
                    ]
                }
            )
        return _credential_file(apprenticeship, line, requested_by)


# --- what a lost task left undone (the sweep) ----------------------------------------------------


def packets_due() -> list:
    """Completed apprenticeships missing a transcript or a completion application ever generated."""
    generated = Document.objects.filter(apprenticeship_id=OuterRef("pk"), generated=True)
    return list(
        Apprenticeship.objects.filter(status=ApprenticeshipStatus.COMPLETED)
        .filter(
            ~Exists(generated.filter(kind=DocumentKind.TRANSCRIPT))
            | ~Exists(generated.filter(kind=DocumentKind.APPLICATION))
        )
        .values_list("pk", flat=True)
    )


def credentials_due() -> list:
    """Apprenticeships with a complete work process that has no interim credential, from the
    running totals (approved hours and first sign-offs by work process)."""
    required = (
        Competency.objects.filter(work_process_id=OuterRef("work_process_id"))
        .values("work_process_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    issued = InterimCredential.objects.filter(
        apprenticeship_id=OuterRef("apprenticeship_id"), work_process_id=OuterRef("work_process_id")
    )
    return list(
        WorkProcessTotal.objects.annotate(required=Coalesce(Subquery(required, output_field=IntegerField()), Value(0)))
        .filter(approved_hours__gte=F("work_process__target_hours"), competencies_signed_off__gte=F("required"))
        .filter(~Exists(issued))
        .values_list("apprenticeship_id", flat=True)
        .distinct()
    )
