"""The Technology HRTP's own settings: the rules of the program the portal keeps the record of.

The Worker Equity Fund's cap, the equity report's suppression threshold, the vault's documents
(where they are stored, how large one may be, where the documents the portal prints are
verified), the bounds of one request's worth of hours, and the program's periodic jobs. base.py
imports every name in `__all__`, so dev, test and prod see them as any other setting and
override them the same way (prod.py: the documents' bucket; test.py: MEDIA_ROOT).
"""

from decimal import Decimal

from celery.schedules import crontab

from .environment import BASE_DIR, env

__all__ = [
    "PORTAL_URL",
    "MEDIA_ROOT",
    "DOCUMENT_MAX_BYTES",
    "FILE_UPLOAD_MAX_MEMORY_SIZE",
    "STORAGES",
    "HOUR_LOG_BULK_MAX_ITEMS",
    "BULK_DECISION_MAX_ITEMS",
    "HOUR_LOG_IMPORT_MAX_ROWS",
    "HOUR_LOG_IMPORT_MAX_BYTES",
    "WORKER_EQUITY_FUND_CAP",
    "EQUITY_SUPPRESSION_THRESHOLD",
]

# --- documents --------------------------------------------------------------------------------
# Where this API answers the public: the documents the portal generates print
# "Verify at {PORTAL_URL}/verify/{code}", the public verification endpoint of this host.
PORTAL_URL = env.str("PORTAL_URL", default="http://localhost:8000").rstrip("/")
# Uploaded and generated documents (the vault, apprenticeships.Document): the file system under
# MEDIA_ROOT here; production may name an S3-compatible bucket instead (prod.py). Files are only
# ever served through the API, which checks scope and records the download: no MEDIA_URL route.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=20 * 1024 * 1024)
# An uploaded file past this size goes to a temporary file, never held in memory (Django's
# default, said here); a document upload past DOCUMENT_MAX_BYTES is not even written there: its
# upload handler stops storing it at the limit (apprenticeships/api/uploads.py).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The documents' storage ("default") and, since Django keeps both in one setting, the static
# files' (STATIC_URL and STATIC_ROOT are in base.py; prod.py replaces both entries).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- hours ------------------------------------------------------------------------------------
# Bounds of one request's worth of hours: past them the API answers 413 and writes nothing.
HOUR_LOG_BULK_MAX_ITEMS = env.int("HOUR_LOG_BULK_MAX_ITEMS", default=500)
# Bulk decisions (hour-logs/approve/, milestones/reject/, ...): at most this many ids a request.
BULK_DECISION_MAX_ITEMS = env.int("BULK_DECISION_MAX_ITEMS", default=500)
HOUR_LOG_IMPORT_MAX_ROWS = env.int("HOUR_LOG_IMPORT_MAX_ROWS", default=5000)
HOUR_LOG_IMPORT_MAX_BYTES = env.int("HOUR_LOG_IMPORT_MAX_BYTES", default=1024 * 1024)

# --- equity -----------------------------------------------------------------------------------
# The Worker Equity Fund: the most emergency aid one participant receives, across all their
# requests and apprenticeships (approved and paid together).
WORKER_EQUITY_FUND_CAP = Decimal("1500.00")
# The equity report hides any count of 1 to this many minus one people, and what would give it
# back (competencies/suppression.py).
EQUITY_SUPPRESSION_THRESHOLD = env.int("EQUITY_SUPPRESSION_THRESHOLD", default=5)

# --- the program's periodic jobs --------------------------------------------------------------
# The entries of CELERY_BEAT_SCHEDULE (base.py) that are the program's, after the portal's own;
# not in `__all__`: base.py spreads them into that setting, and they are no setting of their own.
BEAT_SCHEDULE = {
    # The completion packets and interim credentials the record calls for and the vault lacks
    # (a task enqueued at commit was lost to a broker or a worker that was down).
    "sweep-packets-and-credentials": {
        "task": "competencies.packet.tasks.sweep_packets_and_credentials",
        "schedule": crontab(minute="*/15"),
    },
    # Monday mornings, the sponsor's time.
    "weekly-no-hours-reminders": {
        "task": "competencies.tasks.weekly_no_hours_reminders",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
    },
    "weekly-behind-pace-alerts": {
        "task": "competencies.tasks.weekly_behind_pace_alerts",
        "schedule": crontab(minute=15, hour=7, day_of_week="mon"),
    },
    "weekly-digests": {
        "task": "competencies.tasks.weekly_digests",
        "schedule": crontab(minute=30, hour=7, day_of_week="mon"),
    },
    # Every morning: progress reviews overdue (each told once).
    "daily-review-overdue-notices": {
        "task": "competencies.tasks.daily_review_overdue_notices",
        "schedule": crontab(minute=45, hour=7),
    },
}
