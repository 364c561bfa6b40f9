"""The Celery app: tasks are autodiscovered in every installed app's `tasks.py`.

A task carries the id of the request that enqueued it (portal.requestid): its log lines name
the request they come from.
"""

import os

from celery import Celery

from portal.requestid import connect_celery_signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
connect_celery_signals()
