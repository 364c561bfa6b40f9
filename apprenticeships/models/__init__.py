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
from .aid import AID_TRANSITIONS, COUNTING_STATUSES, AidRequest, AidStatus, BarrierCategory, PaymentMethod
from .catalog import Occupation, TrainingApproach
from .documents import Document, DocumentDownload, DocumentKind, DocumentStatus, display_code, new_verification_code
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
from .signatures import AgreementSignature, AgreementVersion, SignerRole, VersionStatus

__all__ = [
    "AID_TRANSITIONS",
    "COUNTING_STATUSES",
    "AidRequest",
    "AidStatus",
    "BarrierCategory",
    "PaymentMethod",
    "AgreementSignature",
    "AgreementVersion",
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
    "DocumentDownload",
    "DocumentKind",
    "DocumentStatus",
    "ExitReason",
    "SignerRole",
    "VersionStatus",
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
