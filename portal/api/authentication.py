"""The two sign-in clients of django-allauth headless, for DRF.

- app client: `X-Session-Token`, the token from `POST /_allauth/app/v1/auth/login`;
- browser client: the session cookie, with CSRF enforced on unsafe methods (DRF's own
  SessionAuthentication, in settings).
"""

from allauth.headless.contrib.rest_framework.authentication import XSessionTokenAuthentication


class SessionTokenAuthentication(XSessionTokenAuthentication):
    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) to a caller who is not signed in.
        return 'Session-Token realm="api"'
