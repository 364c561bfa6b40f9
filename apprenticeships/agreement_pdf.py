"""The apprenticeship agreement (what form ETA-671 carries), generated from the record as a PDF.

`agreement_content` reads what the agreement shows into plain values; `content_digest` is their
SHA-256 (how a change to the record is noticed without rendering); `agreement_pdf` renders them,
the same bytes for the same content. `signed_agreement_pdf` adds the signature page.

What it shows of the apprentice is their name only: the agreement is read by the employer's
administrators too, who never read the apprentice's personal data (SSN, date of birth, address
stay in the RAPIDS registration data).
"""

import datetime
import hashlib
import json
from collections.abc import Sequence
from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.platypus import PageBreak

from portal import pdf

from .models import Apprenticeship

# Bumped when the layout changes what a PDF shows: the next read makes a new version.
LAYOUT = 1


def standard_eeo_pledge(sponsor_name: str) -> str:
    """The equal opportunity pledge of 29 CFR 30.3(c)."""
    return _(
        "%(sponsor)s will not discriminate against apprenticeship applicants or apprentices based on race, "
        "color, religion, national origin, sex (including pregnancy and gender identity), sexual orientation, "
        "genetic information, or because they are an individual with a disability or a person 40 years old or "
        "older. %(sponsor)s will take affirmative action to provide equal opportunity in apprenticeship and will "
        "operate the apprenticeship program as required under Title 29 of the Code of Federal Regulations, "
        "part 30."
    ) % {"sponsor": sponsor_name}


def _hours(value: Decimal) -> str:
    return f"{value:,.2f}"


def _money(value: Decimal) -> str:
    return f"${value:,.2f}"


def _apprentice_name(apprenticeship: Apprenticeship) -> str:
    registration = getattr(apprenticeship, "registration", None)
    if registration is None:
        return apprenticeship.apprentice.display_name
    parts = [registration.first_name, registration.middle_name, registration.last_name, registration.suffix]
    return " ".join(part for part in parts if part)


def agreement_content(apprenticeship: Apprenticeship) -> dict:
    """Everything the agreement shows, as strings (and lists of them), read from the record."""
    program = apprenticeship.program
    sponsor = program.sponsor
    employer = apprenticeship.employer
    occupation = program.occupation
    address = ", ".join(
        part
        for part in [employer.street_address, employer.city, f"{employer.state} {employer.zip_code}".strip()]
        if part
    )
    return {
        "layout": LAYOUT,
        "language": settings.LANGUAGE_CODE,
        "sponsor": {
            "name": sponsor.name,
            "registration_number": sponsor.registration_number,
            "agency": sponsor.get_registration_agency_display()
            + (f" ({sponsor.agency_state})" if sponsor.agency_state else ""),
            "eeo_pledge": sponsor.eeo_pledge.strip() or standard_eeo_pledge(sponsor.name),
        },
        "employer": {"name": employer.name, "address": address},
        "apprentice": {"name": _apprentice_name(apprenticeship)},
        "occupation": {
            "title": occupation.title,
            "program": program.title,
            "rapids_code": occupation.rapids_code,
            "onet_soc_code": occupation.onet_soc_code,
            "training_approach": program.get_training_approach_display(),
        },
        "term": {
            "ojt_hours": _hours(program.ojt_hours_required),
            "term_months": str(program.term_months),
            "start_date": apprenticeship.start_date.isoformat(),
            "expected_end_date": apprenticeship.expected_end_date.isoformat(),
            "probation_hours": _hours(program.probation_hours),
        },
        "credit": {
            "ojt_hours": _hours(apprenticeship.ojt_credit_hours),
            "rti_hours": _hours(apprenticeship.rti_credit_hours),
            "basis": apprenticeship.credit_basis,
        },
        "rti": {"hours": _hours(program.rti_hours_required), "provider": program.rti_provider},
        "entry_wage": _money(apprenticeship.entry_wage),
        "wage_steps": [
            [
                step.name,
                _hours(step.starts_at_ojt_hours),
                _money(step.wage),
                f"{step.percent_of_journeyworker_wage:.2f}%" if step.percent_of_journeyworker_wage is not None else "",
            ]
            # In the model's order (starts_at_ojt_hours), prefetched where many are read at once.
            for step in program.wage_steps.all()
        ],
    }


def content_digest(content: dict) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _title() -> str:
    return _("Apprenticeship agreement")


def _block(heading: str, pairs: list[tuple[str, object]]):
    """A section's heading and its fields, kept on one page."""
    return pdf.together(pdf.section(heading), pdf.fields(pairs))


def _story(content: dict, signed: dict[str, tuple[str, str]] | None = None) -> list:
    """The agreement's flowables; `signed` fills each role's signature block (typed name, date)."""
    signed = signed or {}
    sponsor, term, credit, rti = content["sponsor"], content["term"], content["credit"], content["rti"]
    occupation = content["occupation"]
    story = [
        pdf.title(_title()),
        pdf.text(
            _(
                "An agreement between the apprentice, the employer and the sponsor of a registered apprenticeship "
                "program, under the sponsor's registered standards (29 CFR 29.7)."
            ),
            "Small",
        ),
        _block(
            _("Sponsor"),
            [
                (_("Sponsor"), sponsor["name"]),
                (_("Program registration number (RAPIDS)"), sponsor["registration_number"]),
                (_("Registration agency"), sponsor["agency"]),
            ],
        ),
        _block(
            _("Employer"),
            [(_("Employer"), content["employer"]["name"]), (_("Address"), content["employer"]["address"])],
        ),
        _block(_("Apprentice"), [(_("Apprentice"), content["apprentice"]["name"])]),
        _block(
            _("Occupation"),
            [
                (_("Occupation"), occupation["title"]),
                (_("Program"), occupation["program"]),
                (_("RAPIDS code"), occupation["rapids_code"] or _("none")),
                (_("O*NET-SOC code"), occupation["onet_soc_code"]),
                (_("Training approach"), occupation["training_approach"]),
            ],
        ),
        _block(
            _("Term"),
            [
                (_("On-the-job learning (OJT hours)"), term["ojt_hours"]),
                (_("Term (months)"), term["term_months"]),
                (_("Start date"), term["start_date"]),
                (_("Expected end date"), term["expected_end_date"]),
                (_("Probationary period (OJT hours)"), term["probation_hours"]),
            ],
        ),
        _block(
            _("Credit for prior experience and training"),
            [
                (_("OJT hours credited"), credit["ojt_hours"]),
                (_("RTI hours credited"), credit["rti_hours"]),
                (_("Basis of the credit"), credit["basis"] or _("no credit granted")),
            ],
        ),
        _block(
            _("Related technical instruction"),
            [(_("RTI hours"), rti["hours"]), (_("RTI provider"), rti["provider"] or _("not named"))],
        ),
        _block(_("Wages"), [(_("Entry wage (hourly)"), content["entry_wage"])]),
        pdf.space(),
    ]
    if content["wage_steps"]:
        story.append(
            pdf.table(
                [
                    [_("Wage step"), _("From OJT hours"), _("Hourly wage"), _("% of journeyworker wage")],
                    *content["wage_steps"],
                ],
                widths=[0.34, 0.22, 0.2, 0.24],
            )
        )
    else:
        story.append(pdf.text(_("The program has no wage schedule.")))
    story.append(pdf.together(pdf.section(_("Equal opportunity pledge")), pdf.text(sponsor["eeo_pledge"])))
    heading = [
        pdf.section(_("Signatures")),
        pdf.text(
            _(
                "Each party signs this agreement online in the portal; the signatures, with the SHA-256 of this "
                "document's exact bytes, are listed on the signature page of the signed copy."
            ),
            "Small",
        ),
    ]
    for role, label in (("apprentice", _("Apprentice")), ("employer", _("Employer")), ("sponsor", _("Sponsor"))):
        name, on = signed.get(role, ("", ""))
        block = pdf.fields([(label, _("signed online") if name else ""), (_("Name"), name), (_("Signed on"), on)])
        # The heading never ends a page alone: it stays with the first signature block.
        story.append(pdf.together(*heading, pdf.space(10), block))
        heading = []
    return story


def agreement_pdf(content: dict) -> bytes:
    """The PDF of the agreement: the same bytes for the same content."""
    with translation.override(content["language"]):
        return pdf.render(pdf.Letterhead(sponsor=content["sponsor"]["name"], title=_title()), _story(content))


def signed_agreement_pdf(content: dict, *, unsigned_sha256: str, signatures: Sequence) -> bytes:
    """The agreement followed by its signature page: each signer, role, typed name, time, address,
    user agent and consent text, and the SHA-256 of the unsigned version they signed."""
    with translation.override(content["language"]):
        story = _story(
            content,
            {
                signature.role: (signature.typed_name, f"{signature.signed_at.astimezone(datetime.UTC):%Y-%m-%d} (UTC)")
                for signature in signatures
            },
        )
        story += [
            PageBreak(),
            pdf.title(_("Signature page")),
            pdf.text(
                _("Each party below signed the unsigned agreement whose SHA-256 is %(sha256)s.")
                % {"sha256": unsigned_sha256},
                "Small",
            ),
        ]
        for signature in signatures:
            story.append(
                pdf.together(
                    pdf.section(signature.get_role_display()),
                    pdf.fields(
                        [
                            (_("Signer"), f"{signature.signer.display_name} <{signature.signer.email}>"),
                            (_("Typed name"), signature.typed_name),
                            (
                                _("Signed at (UTC)"),
                                signature.signed_at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S"),
                            ),
                            (_("IP address"), signature.ip_address or ""),
                            (_("User agent"), signature.user_agent),
                            (_("SHA-256 signed"), signature.sha256),
                            (_("Consent"), signature.consent_text),
                        ]
                    ),
                )
            )
        return pdf.render(
            pdf.Letterhead(sponsor=content["sponsor"]["name"], title=_("Apprenticeship agreement, signed")), story
        )
