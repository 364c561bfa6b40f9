from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        from portal.api import schema  # noqa: F401 - registers the OpenAPI extensions
