"""Plain helpers of the notification tests: who was told what, read back from the database."""

from notifications.models import Notification

NOTIFICATIONS = "/api/v1/notifications/"
PREFERENCES = "/api/v1/notification-preferences/"

# The personas' addresses (tests/conftest.py).
APPRENTICE = "apprentice@example.org"
RAPS_ADMIN = "raps.admin@example.org"
EMPLOYER_A_ADMIN = "admin.a@example.org"
EMPLOYER_A_SUPERVISOR = "supervisor.a@example.org"
EMPLOYER_A_STAFF = {EMPLOYER_A_ADMIN, EMPLOYER_A_SUPERVISOR}

# The apprentice's registration data that no notification may carry (tests/factories.py).
SSN_FRAGMENTS = ["123-45-6789", "123456789", "6789"]
BIRTH_DATE_FORMS = ["2000-05-17", "May 17, 2000", "May 17 2000", "05/17/2000", "17 May 2000"]


def told() -> set[tuple[str, str]]:
    """{(event, recipient e-mail)} of every notification written so far, each at most once."""
    return _once_each(Notification.objects.all())


def snapshot() -> set:
    """The notifications written so far, for `told_since`."""
    return set(Notification.objects.values_list("pk", flat=True))


def told_since(before: set) -> set[tuple[str, str]]:
    """{(event, recipient e-mail)} of the notifications written since `snapshot()`, each at most once."""
    return _once_each(Notification.objects.exclude(pk__in=before))


def _once_each(notifications) -> set[tuple[str, str]]:
    pairs = list(notifications.values_list("event", "recipient__email"))
    assert len(pairs) == len(set(pairs)), f"someone was told twice: {sorted(pairs)}"
    return set(pairs)


def recipients_of(event: str) -> set[str]:
    return set(Notification.objects.filter(event=event).values_list("recipient__email", flat=True))


def the_notification(event: str, recipient: str) -> Notification:
    return Notification.objects.get(event=event, recipient__email=recipient)
