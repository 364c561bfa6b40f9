import re

from django.conf import settings
from django.core import mail

INVITATIONS = "/api/v1/invitations/"
ACCEPT = "/api/v1/invitations/accept/"
NEW_PASSWORD = "a-very-long-Pass-phrase-2026"


def token_from_mail(to: str) -> str:
    """The token of the accept link in the last e-mail sent to `to`: the only copy of it."""
    bodies = [message.body for message in mail.outbox if message.to == [to]]
    assert bodies, f"no e-mail was sent to {to}"
    match = re.search(re.escape(f"{settings.FRONTEND_URL}/invitations/accept?token=") + r"([A-Za-z0-9_-]+)", bodies[-1])
    assert match, f"no accept link in: {bodies[-1]}"
    return match[1]
