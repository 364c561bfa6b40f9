"""The API's serializers of the catalog and the apprenticeships, one module per topic."""

from .agreements import (
    ApprenticeshipRegisterSerializer,
    ApprenticeshipSerializer,
    ApprenticeshipUpdateSerializer,
    RegistrationReadSerializer,
    RegistrationSerializer,
    RosterHoursSerializer,
    RosterPaceSerializer,
    RosterProgressSerializer,
    TransitionSerializer,
)
from .programs import (
    CompetencySerializer,
    MilestoneDefinitionSerializer,
    OccupationSerializer,
    ProgramCreateSerializer,
    ProgramSerializer,
    WageStepSerializer,
    WorkProcessSerializer,
)
from .rapids import RapidsExitsFilterSerializer, RapidsExportFilterSerializer

__all__ = [
    "ApprenticeshipRegisterSerializer",
    "ApprenticeshipSerializer",
    "ApprenticeshipUpdateSerializer",
    "CompetencySerializer",
    "MilestoneDefinitionSerializer",
    "OccupationSerializer",
    "ProgramCreateSerializer",
    "ProgramSerializer",
    "RapidsExitsFilterSerializer",
    "RapidsExportFilterSerializer",
    "RegistrationReadSerializer",
    "RegistrationSerializer",
    "RosterHoursSerializer",
    "RosterPaceSerializer",
    "RosterProgressSerializer",
    "TransitionSerializer",
    "WageStepSerializer",
    "WorkProcessSerializer",
]
