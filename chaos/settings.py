"""The beat of the chaos run: production settings, with the e-mail sweep every few seconds
instead of every minute, so that a run settles in minutes (CHAOS_SWEEP_SECONDS, default 15).
The web processes and the worker run portal.settings.prod itself."""

import os

from portal.settings.prod import *  # noqa: F403
from portal.settings.prod import CELERY_BEAT_SCHEDULE

CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,
    "sweep-email-deliveries": {
        **CELERY_BEAT_SCHEDULE["sweep-email-deliveries"],
        "schedule": float(os.environ.get("CHAOS_SWEEP_SECONDS", "15")),
    },
}
