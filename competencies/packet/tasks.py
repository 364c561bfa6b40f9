"""The packet's work after commit, and the sweep that finds what a lost task left undone.

The completion and the writes that may complete a work process only enqueue these at commit
(`portal.tasks.enqueue_on_commit`): the approval's transaction holds no lock while PDFs are
rendered, and the bulk approval's queries stay as many whatever it completes. A task lost to a
broker or a worker that was down loses nothing: what is due is read from the record itself
(completed apprenticeships without their packet, complete work processes without their
credential), and `sweep_packets_and_credentials` (Celery beat, every 15 minutes) issues it.
"""

import logging

from celery import shared_task
from django.db import OperationalError

from . import services

logger = logging.getLogger(__name__)
RETRIES = {"autoretry_for": (OperationalError,), "retry_backoff": True, "max_retries": 5}


@shared_task(**RETRIES)
def issue_completion_packet(apprenticeship_id: str) -> int:
    return len(services.packet_issue(apprenticeship_id=apprenticeship_id))


@shared_task(**RETRIES)
def issue_due_credentials(*apprenticeship_ids: str) -> int:
    return sum(len(services.credentials_issue_due(apprenticeship_id=pk)) for pk in apprenticeship_ids)


@shared_task
def sweep_packets_and_credentials() -> int:
    """Issue every packet and credential due; how many apprenticeships had something issued.
    One failing apprenticeship is logged and left for the next sweep; the others go on."""
    done = 0
    for work, due in (
        (services.packet_issue, services.packets_due()),
        (services.credentials_issue_due, services.credentials_due()),
    ):
        for pk in due:
            try:
                if work(apprenticeship_id=pk):
                    done += 1
            except Exception:  # noqa: BLE001 - the next sweep tries again
                logger.exception("Could not issue the documents due for apprenticeship %s", pk)
    return done
