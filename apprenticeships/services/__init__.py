"""Writes of the apprenticeships app, one module per topic: the catalog, programs (the
registered standards), registration of agreements, and their status."""

from .aid import (
    AidLimitExceeded,
    aid_request_approve,
    aid_request_create,
    aid_request_deny,
    aid_request_pay,
    aid_request_withdraw,
)
from .catalog import check_may_change_catalog, occupation_create, occupation_update
from .documents import document_file, document_supersede, document_withdraw
from .populations import check_may_manage_populations, population_create, population_update
from .programs import check_may_register_program, program_create, program_update
from .registration import apprenticeship_register, apprenticeship_update, check_may_register_apprentice
from .registration_rules import MINIMUM_AGE
from .signatures import agreement_current, agreement_refresh, agreement_sign, agreements_refresh
from .status import apprenticeship_complete, apprenticeship_transition, apprenticeship_wage_step_reached
from .vault import (
    check_may_download,
    document_download_record,
    document_upload,
    document_withdraw_by,
)

__all__ = [
    "AidLimitExceeded",
    "aid_request_approve",
    "aid_request_create",
    "aid_request_deny",
    "aid_request_pay",
    "aid_request_withdraw",
    "MINIMUM_AGE",
    "agreement_current",
    "agreement_refresh",
    "agreement_sign",
    "agreements_refresh",
    "apprenticeship_complete",
    "apprenticeship_register",
    "apprenticeship_transition",
    "apprenticeship_update",
    "apprenticeship_wage_step_reached",
    "check_may_change_catalog",
    "check_may_manage_populations",
    "check_may_register_apprentice",
    "check_may_register_program",
    "check_may_download",
    "document_download_record",
    "document_file",
    "document_upload",
    "document_withdraw_by",
    "document_supersede",
    "document_withdraw",
    "occupation_create",
    "population_create",
    "population_update",
    "occupation_update",
    "program_create",
    "program_update",
]
