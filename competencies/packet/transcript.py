"""The transcript: the apprentice's whole record of training, as the portal holds it."""

from datetime import date

from django.utils.translation import gettext as _

from portal import pdf

from .layout import day, hours, letterhead, money, verification_block
from .record import Record


def transcript_title(record: Record) -> str:
    return _("Transcript of %(name)s") % {"name": record.apprentice_name}


def transcript_pdf(record: Record, *, code: str, issued_on: date) -> bytes:
    apprenticeship = record.apprenticeship
    program = apprenticeship.program
    sponsor = program.sponsor.name
    story: list = [
        pdf.title(_("Apprenticeship transcript")),
        pdf.fields(
            [
                (_("Apprentice"), record.apprentice_name),
                (_("RAPIDS apprentice id"), apprenticeship.rapids_apprentice_id or "—"),
                (_("Program"), program.title),
                (_("Occupation"), program.occupation.title),
                (_("Sponsor"), sponsor),
                (_("Employer"), apprenticeship.employer.name),
                (_("Start date"), day(apprenticeship.start_date)),
                (_("Completion date"), day(apprenticeship.ended_on)),
                (_("Status"), apprenticeship.get_status_display()),
            ]
        ),
        pdf.section(_("On-the-job training by work process")),
        pdf.table(
            [
                (_("Work process"), _("Target hours"), _("Approved hours"), _("Competencies signed off")),
                *(
                    (
                        line.title,
                        hours(line.target_hours),
                        hours(line.approved_hours),
                        f"{line.signed_off} / {line.competencies}",
                    )
                    for line in record.work_processes
                ),
                (_("Approved OJT hours"), hours(program.ojt_hours_required), hours(record.ojt_approved), ""),
                (_("Credit for prior experience"), "", hours(apprenticeship.ojt_credit_hours), ""),
                (_("Total OJT hours"), "", hours(record.ojt_total), ""),
            ],
            widths=[0.46, 0.17, 0.17, 0.20],
        ),
        pdf.section(_("Related technical instruction")),
    ]
    if record.courses:
        story.append(
            pdf.table(
                [
                    (_("Course"), _("Instruction provider"), _("Approved hours")),
                    *((line.course, line.provider, hours(line.hours)) for line in record.courses),
                    (
                        _("Approved RTI hours"),
                        _("required: %(hours)s") % {"hours": hours(program.rti_hours_required)},
                        hours(record.rti_approved),
                    ),
                    (_("Credit for prior related training"), "", hours(apprenticeship.rti_credit_hours)),
                    (_("Total RTI hours"), "", hours(record.rti_total)),
                ],
                widths=[0.42, 0.38, 0.20],
            )
        )
    else:
        story.append(pdf.text(_("No related instruction hours are approved.")))
    if apprenticeship.ojt_credit_hours or apprenticeship.rti_credit_hours:
        story += [
            pdf.section(_("Credit for prior experience")),
            pdf.fields(
                [
                    (_("OJT hours credited"), hours(apprenticeship.ojt_credit_hours)),
                    (_("RTI hours credited"), hours(apprenticeship.rti_credit_hours)),
                    (_("Basis"), apprenticeship.credit_basis or "—"),
                ]
            ),
        ]
    story += [
        pdf.section(_("Competencies")),
        pdf.table(
            [
                (_("Work process"), _("Competency"), _("Rating"), _("Signed off by"), _("On")),
                *(
                    (
                        line.work_process,
                        f"{line.code} {line.title}",
                        line.rating or _("not signed off"),
                        line.signed_off_by,
                        day(line.signed_off_on) if line.signed_off_on else "",
                    )
                    for line in record.competencies
                ),
            ],
            widths=[0.20, 0.32, 0.13, 0.20, 0.15],
        ),
        pdf.section(_("Wage history")),
        pdf.table(
            [
                (_("From"), _("Wage step"), _("Hourly wage"), _("Why")),
                *((day(line.effective_on), line.step, money(line.wage), line.why) for line in record.wages),
            ],
            widths=[0.15, 0.20, 0.15, 0.50],
        ),
        pdf.section(_("Milestones")),
    ]
    if record.milestones:
        story.append(
            pdf.table(
                [
                    (_("Milestone"), _("Reached"), _("Decision"), _("By"), _("On"), _("Note")),
                    *(
                        (
                            line.name,
                            day(line.reached_on),
                            line.decision,
                            line.decided_by,
                            day(line.decided_on) if line.decided_on else "",
                            line.note,
                        )
                        for line in record.milestones
                    ),
                ],
                widths=[0.18, 0.14, 0.14, 0.14, 0.14, 0.26],
            )
        )
    else:
        story.append(pdf.text(_("No milestone was reached.")))
    story += verification_block(code, issued_on)
    return pdf.render(letterhead(sponsor, transcript_title(record), code), story)
