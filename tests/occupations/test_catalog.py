"""The Technology HRTP catalog that migration 0003 loads (docs/domain.md, "Occupation")."""

import importlib

import pytest
from django.apps import apps as django_apps

from apprenticeships.models import Occupation

TECHNOLOGY_HRTP_TITLES = {
    "Front-end Developer",
    "Web Developer",
    "Quality Assurance Developer",
    "Data Analyst",
    "Cloud Support Associate",
    "Digital Marketing Manager",
    "Network/IT/Cybersecurity Support Specialist",
    "Office Operations Manager",
    "Business Development Representative",
    "Blockchain Developer",
    "Videographer",
}

# The O*NET-SOC 2019 codes and public RAPIDS codes docs/domain.md knows; the catalog invents none.
DOMAIN_ONET_SOC_CODES = {
    "15-1254",
    "15-1255",
    "15-1253",
    "15-2051",
    "43-9111",
    "15-1232",
    "15-1231",
    "15-1212",
    "13-1161",
    "11-3012",
    "41-3091",
    "15-1252",
    "27-4031",
}
DOMAIN_RAPIDS_CODES = {"1059", "1059CB", "2050CB", "1129CB", "1131HY", "2077HY", "2070HY"}


@pytest.fixture
def catalog(db):
    return {occupation.title: occupation for occupation in Occupation.objects.all()}


def test_migration_loads_exactly_the_eleven_technology_hrtp_occupations(catalog):
    assert set(catalog) == TECHNOLOGY_HRTP_TITLES
    assert len(catalog) == 11


@pytest.mark.parametrize(
    ("title", "onet_soc_code", "rapids_code", "training_approach"),
    [
        ("Web Developer", "15-1254", "", "hybrid"),
        ("Front-end Developer", "15-1255", "", "hybrid"),
        ("Quality Assurance Developer", "15-1253", "", "hybrid"),
        ("Office Operations Manager", "11-3012", "", "time_based"),
        ("Business Development Representative", "41-3091", "", "time_based"),
        ("Cloud Support Associate", "15-1232", "1131HY", "hybrid"),
        ("Network/IT/Cybersecurity Support Specialist", "15-1231", "2050CB", "competency_based"),
        ("Videographer", "27-4031", "2070HY", "hybrid"),
    ],
)
def test_occupation_carries_its_codes(catalog, title, onet_soc_code, rapids_code, training_approach):
    occupation = catalog[title]

    assert (occupation.onet_soc_code, occupation.rapids_code, occupation.training_approach) == (
        onet_soc_code,
        rapids_code,
        training_approach,
    )


def test_every_code_is_one_domain_md_knows_or_blank(catalog):
    assert {occupation.onet_soc_code for occupation in catalog.values()} <= DOMAIN_ONET_SOC_CODES
    assert {occupation.rapids_code for occupation in catalog.values()} - {""} <= DOMAIN_RAPIDS_CODES


def test_rapids_suffix_agrees_with_the_training_approach(catalog):
    # RAPIDS marks competency-based standards CB and hybrid ones HY.
    suffixes = {"CB": "competency_based", "HY": "hybrid"}
    for occupation in catalog.values():
        suffix = occupation.rapids_code[4:]
        if suffix:
            assert (occupation.title, occupation.training_approach) == (occupation.title, suffixes[suffix])


def test_every_loaded_occupation_passes_its_own_validation(catalog):
    for occupation in catalog.values():
        occupation.full_clean()
        assert occupation.description


def test_loading_the_catalog_again_changes_nothing(catalog):
    migration = importlib.import_module("apprenticeships.migrations.0003_technology_hrtp_occupations")

    migration.load_catalog(django_apps, None)

    assert {occupation.title: occupation.id for occupation in Occupation.objects.all()} == {
        title: occupation.id for title, occupation in catalog.items()
    }


def test_every_catalog_occupation_has_a_creation_history_record(catalog):
    created = Occupation.history.filter(history_type="+")

    assert set(created.values_list("title", flat=True)) == TECHNOLOGY_HRTP_TITLES
    assert set(created.values_list("history_change_reason", flat=True)) == {"Technology HRTP catalog loaded"}
    assert set(created.values_list("id", flat=True)) == {occupation.id for occupation in catalog.values()}
