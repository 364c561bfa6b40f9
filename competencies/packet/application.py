"""The completion application: what the registration agency asks for to issue the certificate
of completion, filled in from the record, with the sponsor's attestation to sign."""

from datetime import date

from django.utils.translation import gettext as _

from portal import pdf

from .layout import day, hours, letterhead, money, verification_block
from .record import Record


def application_title(record: Record) -> str:
    return _("Completion application of %(name)s") % {"name": record.apprentice_name}


def application_pdf(record: Record, *, code: str, issued_on: date) -> bytes:
    apprenticeship = record.apprenticeship
    program = apprenticeship.program
    sponsor = program.sponsor
    occupation = program.occupation
    story: list = [
        pdf.title(_("Application for a certificate of completion")),
        pdf.text(_("The sponsor asks the registration agency to issue a certificate of completion of apprenticeship.")),
        pdf.section(_("Apprentice and program")),
        pdf.fields(
            [
                (_("Apprentice"), record.apprentice_name),
                (_("RAPIDS apprentice id"), apprenticeship.rapids_apprentice_id or "—"),
                (_("Program"), program.title),
                (_("Occupation"), occupation.title),
                (_("RAPIDS code"), occupation.rapids_code or "—"),
                (_("O*NET-SOC code"), occupation.onet_soc_code),
                (_("Training approach"), program.get_training_approach_display()),
                (_("Sponsor"), sponsor.name),
                (_("Sponsor registration number"), sponsor.registration_number),
                (_("Registration agency"), sponsor.get_registration_agency_display()),
                (_("Employer"), apprenticeship.employer.name),
            ]
        ),
        pdf.section(_("Term")),
        pdf.fields(
            [
                (_("Start date"), day(apprenticeship.start_date)),
                (_("Completion date"), day(apprenticeship.ended_on)),
                (_("Final wage (hourly)"), money(record.final_wage)),
                (_("Completion approved by"), record.approved_by or "—"),
                (_("Completion approved on"), day(record.approved_on)),
            ]
        ),
        pdf.space(6),
        pdf.table(
            [
                (_("Hours"), _("Approved"), _("Credited (prior experience)"), _("Total")),
                (
                    _("OJT hours"),
                    hours(record.ojt_approved),
                    hours(apprenticeship.ojt_credit_hours),
                    hours(record.ojt_total),
                ),
                (
                    _("RTI hours"),
                    hours(record.rti_approved),
                    hours(apprenticeship.rti_credit_hours),
                    hours(record.rti_total),
                ),
            ],
            widths=[0.36, 0.20, 0.24, 0.20],
        ),
        pdf.together(
            pdf.section(_("Attestation")),
            pdf.text(
                _(
                    "I attest that %(name)s completed the program %(program)s of %(sponsor)s as the record "
                    "above shows, and that it is true and complete to the best of my knowledge."
                )
                % {"name": record.apprentice_name, "program": program.title, "sponsor": sponsor.name}
            ),
            pdf.space(6),
            pdf.table(
                [
                    (_("Signature of the sponsor's representative"), _("Date")),
                    ("\n\n", ""),
                ],
                widths=[0.7, 0.3],
            ),
            # With the attestation, so that the code is never alone on a page of its own.
            *verification_block(code, issued_on),
        ),
    ]
    return pdf.render(letterhead(sponsor.name, application_title(record), code), story)
