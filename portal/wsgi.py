import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

application = get_wsgi_application()

# What is loaded by now (Django, the apps, their modules and settings) lives as long as the
# worker: frozen, the garbage collector no longer walks it on every full collection, which a
# page of 200 rows (thousands of short-lived objects) sets off. About 5% of a roster or review
# queue request, measured in-process on the benchmark's dataset.
gc.freeze()
