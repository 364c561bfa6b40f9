from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        from allauth.account.internal.flows import manage_email
        from allauth.account.signals import user_signed_up

        from portal import audit
        from portal.adapters import ignoring_pending_addresses, void_pending_claims
        from portal.api import schema  # noqa: F401 - registers the OpenAPI extensions

        # allauth calls it through its module (email_already_exists), at sign-up and when an
        # address is added.
        manage_email.assess_unique_email = ignoring_pending_addresses(manage_email.assess_unique_email)
        user_signed_up.connect(void_pending_claims, dispatch_uid="portal.void_pending_claims")
        # Every history row: the client's reason joined to it, and its audit entry.
        audit.connect()
