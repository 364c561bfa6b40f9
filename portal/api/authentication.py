"""The two sign-in clients of django-allauth headless, for DRF.

- app client: `X-Session-Token`, the token from `POST /_allauth/app/v1/auth/login`;
- browser client: the session cookie, with CSRF enforced on unsafe methods (DRF's own
  SessionAuthentication).

Both answer a signed-in user in their language (`User.language`): DRF authenticates inside the
view, after every middleware, so this is where the user becomes known.
"""

from allauth.headless.contrib.rest_framework.authentication import XSessionTokenAuthentication
from rest_framework import authentication

from portal.i18n import activate_for


class SessionTokenAuthentication(XSessionTokenAuthentication):
    def authenticate(self, request):
        found = super().authenticate(request)
        if found is not None:
            activate_for(found[0])
        return found

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) to a caller who is not signed in.
        return 'Session-Token realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    def authenticate(self, request):
        found = super().authenticate(request)
        if found is not None:
            activate_for(found[0])
        return found
