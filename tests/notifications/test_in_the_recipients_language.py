"""Each recipient reads a notification, and its e-mail, in their own language: `notify` and
`notify_all` build a notice once per language among its recipients."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation

from notifications.models import Event, Notification
from notifications.services import Message, Notice, notify, notify_all
from portal.models import User
from tests import factories
from tests.notifications.helpers import APPRENTICE, EMPLOYER_A_SUPERVISOR, the_notification
from tests.notifications.test_content import EVERY_EVENT, NOON_JUNE_1

# What each event's notification says in Spanish, as `cause` brings it about at NOON_JUNE_1
# (the English figures are tests/notifications/test_content.py's FIGURES_AND_DATES).
IN_SPANISH = {
    "hours_submitted": [
        "7.50 h",
        "capacitación en el trabajo (OJT)",
        "3 de marzo de 2025",
        "en espera de su aprobación",
    ],
    "hours_approved": ["7.50 h", "3 de marzo de 2025", "registro aprobado"],
    "hours_rejected": ["7.50 h", "3 de marzo de 2025", "registro rechazado", "Motivo: Not on the timesheet"],
    "hours_voided": ["7.50 h", "3 de marzo de 2025", "registro anulado", "Motivo: Logged twice"],
    "competency_signed_off": ["Sam Supervisor", "con nivel avanzado", "1 de junio de 2026"],
    "milestone_reached": [
        "alcanzó el hito “Probation complete”",
        "500.00 horas de OJT (umbral 500.00)",
        "1 de junio de 2026",
    ],
    "milestone_approved": ["“Probation complete”", "fue aprobado el 1 de junio de 2026"],
    "milestone_rejected": [
        "“Probation complete”",
        "fue rechazado el 1 de junio de 2026",
        "Nota: Credit not documented",
    ],
    "status_changed": ["pasó de activo a suspendido el 1 de junio de 2026", "Motivo: Leave of absence"],
    "no_hours_reminder": ["nunca", "2000.00 horas de OJT antes del 31 de diciembre de 2026"],
    "behind_pace": ["0.00 horas de OJT por semana", "quedan 2000.00", "finalización prevista: 31 de diciembre de 2026"],
    "weekly_digest": ["Semana 2025-W12", "1 registros de horas enviados", "0 hitos"],
    "aid_requested": ["$400.00 de ayuda de emergencia", "(Cuidado infantil)", "1 de junio de 2026"],
    "aid_approved": ["se aprobó el 1 de junio de 2026", "$300.00 de los $400.00 solicitados", "Motivo: Two months"],
    "aid_denied": ["$400.00", "fue denegada el 1 de junio de 2026", "Motivo: Covered by the stipend"],
    "aid_paid": ["Se pagaron $300.00 de ayuda de emergencia", "el 1 de junio de 2026 (Cheque)"],
    "aid_withdrawn": ["$400.00", "fue retirada el 1 de junio de 2026", "Motivo: No longer needed"],
    "review_submitted": [
        "Sam Supervisor",
        "Revisión periódica 1 (vencimiento: 6 de julio de 2025)",
        "1 de junio de 2026",
    ],
    "review_overdue": ["revisión periódica 1", "vencía el 6 de enero de 2026"],
    "agreement_changed": [
        "cambió el 1 de junio de 2026",
        "la versión 2 reemplaza la que usted firmó",
        "quedan anuladas",
    ],
}


@pytest.fixture
def at_noon_june_1(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOON_JUNE_1)


def test_every_event_has_its_spanish_figures_here():
    assert set(IN_SPANISH) == set(EVERY_EVENT)


@pytest.mark.parametrize("event", EVERY_EVENT)
def test_a_spanish_speaker_reads_every_notification_in_spanish(cause, at_noon_june_1, event):
    cause_in_spanish = cause  # everyone exists once `cause` is set up: all read Spanish
    User.objects.update(language="es")

    notification = cause_in_spanish(event)

    assert notification.language == "es"
    for fragment in IN_SPANISH[event]:
        assert fragment in notification.body, (fragment, notification.body)
        assert fragment in notification.body_html, (fragment, notification.body_html)
    assert "Abrir en el portal: " in notification.body
    assert ">Abrir en el portal</a>" in notification.body_html
    assert "Open in the portal" not in notification.body + notification.body_html


def test_the_apprentice_reads_spanish_and_the_supervisor_english_of_one_event(
    client_for, cause, at_noon_june_1, apprentice
):
    apprentice.language = "es"
    apprentice.save()

    cause("status_changed")

    spanish = the_notification("status_changed", APPRENTICE)
    english = the_notification("status_changed", EMPLOYER_A_SUPERVISOR)
    assert (spanish.language, english.language) == ("es", "en")
    assert spanish.title == "Ari Apprentice: aprendizaje suspendido"
    assert english.title == "Ari Apprentice: apprenticeship suspended"
    assert "from active to suspended on June 01, 2026" in english.body
    assert "pasó de activo a suspendido el 1 de junio de 2026" in spanish.body


def test_the_e_mail_of_a_spanish_speaker_is_spanish_in_plain_text_and_html(
    cause, at_noon_june_1, apprentice, django_capture_on_commit_callbacks
):
    apprentice.language = "es"
    apprentice.save()

    with django_capture_on_commit_callbacks(execute=True):
        cause("status_changed")

    spanish = the_notification("status_changed", APPRENTICE)
    english = the_notification("status_changed", EMPLOYER_A_SUPERVISOR)
    (to_apprentice,) = [m for m in mail.outbox if m.to == [APPRENTICE]]
    (to_supervisor,) = [m for m in mail.outbox if m.to == [EMPLOYER_A_SUPERVISOR]]
    assert to_apprentice.subject == f"[Portal de Aprendizaje] {spanish.title}"
    assert to_apprentice.body.startswith(spanish.body)
    assert "Recibe este correo electrónico del portal de aprendizaje." in to_apprentice.body
    html, kind = to_apprentice.alternatives[0]
    assert kind == "text/html"
    assert '<html lang="es">' in html
    assert spanish.body_html in html
    assert "Recibe este correo electrónico del portal de aprendizaje." in html
    assert to_supervisor.subject == f"[Apprenticeship Portal] {english.title}"
    assert "You receive this e-mail from the apprenticeship portal." in to_supervisor.body
    assert '<html lang="en">' in to_supervisor.alternatives[0][0]
    assert to_apprentice.extra_headers["Message-ID"] == f"<notification-{spanish.pk}@apprenticeship-portal>"


def _counting_builder(calls: list):
    def build() -> Message:
        calls.append(translation.get_language())
        return Message(title=translation.gettext("Hours approved"), body=translation.gettext("Not found."))

    return build


def test_notify_builds_the_message_once_per_language_of_its_recipients(db):
    users = [factories.UserFactory(language=language) for language in ("es", "en", "es", "en", "es")]
    calls: list = []

    written = notify(recipients=users, event=Event.HOURS_APPROVED, message=_counting_builder(calls))

    assert sorted(calls) == ["en", "es"]
    by_user = {notification.recipient_id: notification for notification in written}
    for user in users:
        notification = by_user[user.pk]
        assert notification.language == user.language
        assert notification.title == {"es": "Horas aprobadas", "en": "Hours approved"}[user.language]


def test_notify_all_builds_each_notice_once_per_language_of_its_recipients(db):
    spanish, english = factories.UserFactory(language="es"), factories.UserFactory(language="en")
    first, second = [], []

    notify_all(
        [
            Notice(recipients=[spanish, english], event=Event.HOURS_APPROVED, message=_counting_builder(first)),
            Notice(recipients=[spanish], event=Event.HOURS_REJECTED, message=_counting_builder(second)),
        ]
    )

    assert sorted(first) == ["en", "es"]
    assert second == ["es"]
    titles = dict(Notification.objects.values_list("recipient__language", "title").filter(event="hours_approved"))
    assert titles == {"es": "Horas aprobadas", "en": "Hours approved"}


def test_building_a_notice_leaves_the_callers_language_as_it_was(db):
    users = [factories.UserFactory(language="es")]

    with translation.override("en"):
        notify(recipients=users, event=Event.HOURS_APPROVED, message=_counting_builder([]))
        assert translation.get_language() == "en"


def test_an_invitation_e_mail_is_in_the_inviters_language(
    client_for, raps_admin, sponsor, employer_a, django_capture_on_commit_callbacks
):
    raps_admin.language = "es"
    raps_admin.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(raps_admin).post(
            "/api/v1/invitations/",
            {
                "email": "nueva@example.org",
                "role": "supervisor",
                "sponsor": str(sponsor.id),
                "employer": str(employer_a.id),
            },
            format="json",
        )

    assert response.status_code == 201, response.json()
    (message,) = mail.outbox
    assert message.subject == "[Portal de Aprendizaje] Rae Admin le invita a unirse a Employer A"
    assert "Acepte la invitación aquí:" in message.body
    assert "El enlace funciona una sola vez y vence el" in message.body
    assert Notification.objects.get(email_to="nueva@example.org").language == "es"


def test_an_evening_event_is_dated_by_its_local_day_in_spanish_too(cause, monkeypatch, apprentice):
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2026, 6, 2, 3, 0, tzinfo=datetime.UTC))
    apprentice.language = "es"
    apprentice.save()

    cause("status_changed")

    assert "el 1 de junio de 2026" in the_notification("status_changed", APPRENTICE).body
