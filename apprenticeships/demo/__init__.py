"""The apprenticeships app's demo data (portal/demo.py): `manage.py load_demo` imports this package,
which imports every module below, and each registers its loaders.

In the order they load (with the other apps' between them):
- programs.py: the sponsor's programs for the eleven occupations (20); the catalog editors (21);
- added_employer.py: an employer added through the API and its apprentice with credit for prior
  experience (35); the papers that credit rests on, in her vault (36);
- agreements.py: how the demo's parties sign; an agreement awaiting the employer (37);
- populations.py: the sponsor's priority populations (38);
- aid.py: the Worker Equity Fund, with requests in every state (48).
"""

from .added_employer import ADDED_EMPLOYER_EIN, load_credit_evidence, load_employer_added_through_the_api
from .agreements import (
    DEMO_SIGNER_ADDRESS,
    DEMO_USER_AGENT,
    demo_employer_admin,
    demo_sign,
    load_agreement_awaiting_the_employer,
)
from .aid import DEMO_FUND, load_aid
from .populations import DEMO_POPULATIONS, load_priority_populations
from .programs import (
    CATALOG_EDITORS,
    CATALOG_MODELS,
    OJT_HOURS,
    PROBATION_HOURS,
    RTI_HOURS,
    WAGE_SCHEDULE,
    WORK_PROCESSES,
    demo_program,
    load_platform_staff_permissions,
    load_programs,
)

__all__ = [
    "ADDED_EMPLOYER_EIN",
    "CATALOG_EDITORS",
    "CATALOG_MODELS",
    "DEMO_FUND",
    "DEMO_POPULATIONS",
    "DEMO_SIGNER_ADDRESS",
    "DEMO_USER_AGENT",
    "OJT_HOURS",
    "PROBATION_HOURS",
    "RTI_HOURS",
    "WAGE_SCHEDULE",
    "WORK_PROCESSES",
    "demo_employer_admin",
    "demo_program",
    "demo_sign",
    "load_agreement_awaiting_the_employer",
    "load_aid",
    "load_credit_evidence",
    "load_employer_added_through_the_api",
    "load_platform_staff_permissions",
    "load_priority_populations",
    "load_programs",
]
