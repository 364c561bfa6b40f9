from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from .models import Invitation


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def invitation_send_email(invitation_id: str, token: str) -> None:
    """E-mail the invitation link. The token is not stored, so the task carries it."""
    invitation = Invitation.objects.select_related("sponsor", "employer", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or invitation.accepted_at or invitation.revoked_at:
        return
    organization = invitation.organization
    link = f"{settings.FRONTEND_URL}/invitations/accept?token={token}"
    inviter = invitation.invited_by.display_name
    send_mail(
        subject=f"[Apprenticeship Portal] {inviter} invites you to join {organization}",
        message=(
            f"Hello,\n\n{inviter} invites you to join {organization} on the apprenticeship portal "
            f"as {invitation.get_role_display()}.\n\nAccept the invitation here:\n{link}\n\n"
            f"The link works once and expires on {timezone.localtime(invitation.expires_at):%B %d, %Y at %H:%M %Z}.\n"
        ),
        from_email=None,
        recipient_list=[invitation.email],
    )
