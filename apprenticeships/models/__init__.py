"""The registered standards and the apprentice agreements: one module per topic."""

from .agreements import (
    OPEN_STATUSES,
    REQUESTABLE_TRANSITIONS,
    STATUS_TRANSITIONS,
    STATUSES_TAKING_HOURS,
    ApprenticeRegistration,
    Apprenticeship,
    ApprenticeshipStatus,
    ExitReason,
)
from .catalog import Occupation, TrainingApproach
from .documents import Document, DocumentKind, DocumentStatus, display_code, new_verification_code
from .populations import PopulationCriterion, PriorityPopulation
from .programs import (
    HOURS_IN_A_WORK_YEAR,
    Competency,
    MilestoneDefinition,
    MilestoneKind,
    Program,
    WageStep,
    WorkProcess,
)

__all__ = [
    "HOURS_IN_A_WORK_YEAR",
    "OPEN_STATUSES",
    "REQUESTABLE_TRANSITIONS",
    "STATUSES_TAKING_HOURS",
    "STATUS_TRANSITIONS",
    "ApprenticeRegistration",
    "Apprenticeship",
    "ApprenticeshipStatus",
    "Competency",
    "Document",
    "DocumentKind",
    "DocumentStatus",
    "ExitReason",
    "MilestoneDefinition",
    "MilestoneKind",
    "Occupation",
    "PopulationCriterion",
    "PriorityPopulation",
    "Program",
    "TrainingApproach",
    "WageStep",
    "WorkProcess",
    "display_code",
    "new_verification_code",
]
