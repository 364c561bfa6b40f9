"""The interim credential: a certificate that the apprentice completed one work process."""

from datetime import date

from django.utils.translation import gettext as _

from portal import pdf

from .layout import day, hours, letterhead, verification_block
from .record import WorkProcessLine


def credential_title(name: str, work_process: str) -> str:
    return _("Interim credential: %(work_process)s, %(name)s") % {"work_process": work_process, "name": name}


def credential_pdf(
    *, apprenticeship, name: str, line: WorkProcessLine, competencies: list, code: str, issued_on: date
) -> bytes:
    program = apprenticeship.program
    sponsor = program.sponsor.name
    story: list = [
        pdf.title(_("Interim credential")),
        pdf.text(
            _(
                "%(sponsor)s certifies that %(name)s completed the work process %(work_process)s of the program %(program)s."
            )
            % {"sponsor": sponsor, "name": name, "work_process": line.title, "program": program.title}
        ),
        pdf.space(),
        pdf.fields(
            [
                (_("Apprentice"), name),
                (_("RAPIDS apprentice id"), apprenticeship.rapids_apprentice_id or "—"),
                (_("Program"), program.title),
                (_("Occupation"), program.occupation.title),
                (_("Employer"), apprenticeship.employer.name),
                (_("Work process"), line.title),
                (_("Target hours"), hours(line.target_hours)),
                (_("Approved hours"), hours(line.approved_hours)),
                (_("Competencies signed off"), f"{line.signed_off} / {line.competencies}"),
                (_("Issued on"), day(issued_on)),
            ]
        ),
    ]
    if competencies:
        story += [
            pdf.section(_("Competencies")),
            pdf.table(
                [
                    (_("Competency"), _("Rating"), _("Signed off by"), _("On")),
                    *((f"{c.code} {c.title}", c.rating, c.signed_off_by, day(c.signed_off_on)) for c in competencies),
                ],
                widths=[0.45, 0.15, 0.25, 0.15],
            ),
        ]
    story += verification_block(code, issued_on)
    return pdf.render(letterhead(sponsor, credential_title(name, line.title), code), story)
