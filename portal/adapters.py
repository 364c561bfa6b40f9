"""The portal's allauth account adapter: how failed sign-ins are counted, and refused.

allauth counts failed logins under one key per account, from anywhere: five wrong passwords
from a stranger lock the owner out as well. Here they count three ways (ACCOUNT_RATE_LIMITS):

- `login_failed_from_address`: per account and client address, tight: brute force from one
  place stops after a few guesses;
- `login_failed`: per client address over every account, and per account from anywhere, far
  more slowly: a stranger cannot lock the owner out in a few tries, a spread-out guesser is
  still bounded.

Past a limit, the login answers 429 with Retry-After, even with the right password. The Django
admin's sign-in counts in the same place (portal.admin).

The counts live in the shared cache. With the cache down, every other rate limit fails open
(portal.cache), but sign-in fails closed: 503 with Retry-After, rather than guesses counted
nowhere. Signed-in clients (session tokens and cookies are in the database) go on working.
"""

import logging
import math
import time
from functools import wraps
from typing import TYPE_CHECKING

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal import ratelimit
from django.core.cache import cache
from django.http import JsonResponse
from django.utils.translation import gettext as _

from portal.cache import CacheUnavailable, strict_cache

if TYPE_CHECKING:
    # The adapter is imported while allauth loads, before models may be imported.
    from portal.models import User

APP = "allauth.account"
logger = logging.getLogger(__name__)


class TooManyLoginAttempts(Exception):
    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


class SignInUnavailable(TooManyLoginAttempts):
    """The cache that counts the attempts is down: no attempt is let through uncounted."""

    def __init__(self, retry_after: int = 30):
        super().__init__(retry_after)


def _retry_after(request, action: str, key: str) -> int:
    """Seconds until `action` under `key` is allowed again: when the oldest of the hits that
    fill the exceeded rate leaves its window."""
    now = time.time()
    wait = 1.0
    for rate in ratelimit.get_rates(app=APP, action=action):
        history = cache.get(ratelimit.get_cache_key(request, app=APP, action=action, rate=rate, key=key), [])
        if len(history) >= rate.amount:
            wait = max(wait, history[rate.amount - 1] + rate.duration - now)
    return math.ceil(wait)


class LoginAttempt:
    """One sign-in attempt, counted before the password is checked; `succeeded()` gives the
    counts back (a right password must not be held against the account)."""

    def __init__(self, request, login: str):
        account = f"{request.get_host()}:{login.strip().lower()}"
        address = ratelimit.get_ip(request)
        self.usages = []
        for action, key in (("login_failed_from_address", f"{account}|{address}"), ("login_failed", account)):
            try:
                with strict_cache():
                    usage = ratelimit.consume(request, app=APP, action=action, key=key)
            except CacheUnavailable:
                logger.error("Sign-in refused: the cache that counts failed attempts is unavailable.")
                self.succeeded()
                raise SignInUnavailable() from None
            if usage is None:
                self.succeeded()
                raise TooManyLoginAttempts(_retry_after(request, action, key))
            self.usages.append(usage)

    def succeeded(self) -> None:
        for usage in self.usages:
            usage.rollback()
        self.usages = []


class AccountAdapter(DefaultAccountAdapter):
    def pre_authenticate(self, request, **credentials):
        try:
            self._login_attempt = LoginAttempt(request, credentials.get("email", credentials.get("username", "")))
        except SignInUnavailable as refused:
            response = JsonResponse(
                {
                    "status": 503,
                    "errors": [
                        {
                            "message": _("Sign-in is unavailable for a moment. Try again shortly."),
                            "code": "sign_in_unavailable",
                        }
                    ],
                },
                status=503,
            )
            response["Retry-After"] = str(refused.retry_after)
            raise ImmediateHttpResponse(response) from None
        except TooManyLoginAttempts as refused:
            response = JsonResponse(
                {
                    "status": 429,
                    "errors": [
                        {
                            "message": str(self.error_messages["too_many_login_attempts"]),
                            "code": "too_many_login_attempts",
                        }
                    ],
                },
                status=429,
            )
            response["Retry-After"] = str(refused.retry_after)
            raise ImmediateHttpResponse(response) from None

    def _rollback_login_failed_rl_usage(self) -> None:
        # allauth calls this on a right password (and on a login that will not be counted).
        attempt = getattr(self, "_login_attempt", None)
        if attempt:
            attempt.succeeded()

    def _delete_login_attempts_cached_email(self, request, **credentials) -> None:
        # After a password reset allauth wipes the account's failures; the key is ours.
        login = credentials.get("email", credentials.get("username", "")).strip().lower()
        account = f"{request.get_host()}:{login}"
        address = ratelimit.get_ip(request)
        ratelimit.clear(request, app=APP, action="login_failed", key=account)
        ratelimit.clear(request, app=APP, action="login_failed_from_address", key=f"{account}|{address}")


def ignoring_pending_addresses(assess_unique_email):
    """allauth's check that an address is free (sign-up, adding an address), not counting the
    accounts that only asked to change to it (ACCOUNT_CHANGE_EMAIL: an unverified address that
    is not their primary one). Anyone may type anyone's address there; until its owner follows
    the link it proves nothing, so it must not stop the owner from signing up with it."""

    @wraps(assess_unique_email)
    def assess(email: str, user: "User | None" = None):
        verdict = assess_unique_email(email, user=user)
        if verdict is True:
            return verdict
        from allauth.account.internal.userkit import filter_users_by_email
        from allauth.account.models import EmailAddress

        others = [other for other in filter_users_by_email(email) if user is None or other.pk != user.pk]
        holders = set(
            EmailAddress.objects.filter(email__iexact=email, user__in=others)
            .exclude(verified=False, primary=False)
            .values_list("user_id", flat=True)
        )
        if any(other.pk in holders or other.email.lower() == email.lower() for other in others):
            return verdict
        return True

    return assess


def void_pending_claims(request, user: "User", **kwargs) -> None:
    """The owner of an address signed up with it: other accounts' pending requests to change to
    it are void (their links stop working, so that none can take it from the new account), and
    the verification e-mail they caused does not hold back the owner's (allauth waits between
    two e-mails to one address)."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(email__iexact=user.email, verified=False, primary=False).exclude(user=user).delete()
    ratelimit.clear(request, app=APP, action="confirm_email", key=user.email.lower())
