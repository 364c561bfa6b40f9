"""The competencies app's demo data (portal/demo.py): `manage.py load_demo` imports this package,
which imports every module below, and each registers its loaders.

In the order they load (with the other apps' between them):
- apprentices.py: about thirty apprenticeships over every status, and their hours (30);
- milestones.py: the milestones the hours reach, and the graduate's completion (40);
- hour_import.py: one timesheet imported by a supervisor (45);
- competencies/packet/demo.py: the graduate's packet and the interim credentials (48);
- reviews.py: progress reviews, one signed and two overdue (50).
"""

from ..packet import demo as packet_demo  # its loader: the graduate's packet, the credentials
from .apprentices import (
    FIRST_NAMES,
    GRADUATE,
    LAST_NAMES,
    SPANISH_ACCOUNT,
    SPANISH_SPEAKER,
    STATUS_PLAN,
    load_apprenticeships,
)
from .hour_import import load_hour_import
from .milestones import load_milestones
from .reviews import INTERVAL_MONTHS, load_reviews

__all__ = [
    "FIRST_NAMES",
    "GRADUATE",
    "INTERVAL_MONTHS",
    "LAST_NAMES",
    "SPANISH_ACCOUNT",
    "SPANISH_SPEAKER",
    "STATUS_PLAN",
    "load_apprenticeships",
    "load_hour_import",
    "load_milestones",
    "load_reviews",
    "packet_demo",
]
