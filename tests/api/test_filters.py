"""The filter backend: a list asked with only paging and ordering builds no filter form (it
would change nothing), and a list asked with a filter is filtered exactly as before."""

import pytest

from portal.api.filters import FilterBackend, FilterSet


@pytest.fixture
def built_filtersets(monkeypatch):
    built = []
    original = FilterBackend.get_filterset

    def spy(self, request, queryset, view):
        filterset = original(self, request, queryset, view)
        built.append(filterset)
        return filterset

    monkeypatch.setattr(FilterBackend, "get_filterset", spy)
    return built


def test_a_list_with_only_paging_and_ordering_builds_no_filter_form(client_for, raps_admin, built_filtersets):
    response = client_for(raps_admin).get("/api/v1/occupations/?page=1&page_size=5&ordering=title")

    assert response.status_code == 200
    assert len(response.json()["results"]) == 5
    assert built_filtersets == []


def test_a_list_with_a_filter_is_filtered_by_the_filter_form(client_for, raps_admin, built_filtersets):
    every = client_for(raps_admin).get("/api/v1/occupations/?page_size=200").json()["results"]
    code = every[0]["rapids_code"]

    response = client_for(raps_admin).get(f"/api/v1/occupations/?rapids_code={code}")

    assert [row["rapids_code"] for row in response.json()["results"]] == [code]
    assert len(every) > 1
    assert [type(filterset).__mro__[1] for filterset in built_filtersets] == [FilterSet]


def test_a_bad_filter_value_is_still_a_400_naming_the_field(client_for, raps_admin):
    response = client_for(raps_admin).get("/api/v1/hour-logs/?date_after=yesterday")

    assert response.status_code == 400
    assert response.json() == {"date": ["Enter a valid date."]}


def test_each_request_filters_by_its_own_values_with_classes_built_once(client_for, raps_admin, built_filtersets):
    client = client_for(raps_admin)
    every = client.get("/api/v1/occupations/?page_size=200").json()["results"]
    first, second = sorted({row["rapids_code"] for row in every if row["rapids_code"]})[:2]

    one = client.get(f"/api/v1/occupations/?rapids_code={first}").json()["results"]
    other = client.get(f"/api/v1/occupations/?rapids_code={second}").json()["results"]
    bad = client.get("/api/v1/occupations/?training_approach=sideways")

    assert [row["rapids_code"] for row in one] == [first]
    assert [row["rapids_code"] for row in other] == [second]
    assert bad.status_code == 400
    assert "training_approach" in bad.json()
    filtersets = built_filtersets
    assert len(filtersets) == 3
    assert type(filtersets[0]) is type(filtersets[1]) is type(filtersets[2])
    assert type(filtersets[0].form) is type(filtersets[1].form)
    assert filtersets[0].form is not filtersets[1].form
