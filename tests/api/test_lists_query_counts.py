"""Every list endpoint answers in the same number of queries for 1 row and for 50 (docs/architecture.md),
and its paging and parsing errors look as docs/api.md says."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apprenticeships.models import Occupation
from tests import factories


def _count_queries(client, url, rows):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content
    assert len(response.json()["results"]) == rows
    return len(context.captured_queries)


def test_occupations_list_query_count_is_flat(client_for, raps_admin):
    Occupation.objects.all().delete()  # the catalog migration's eleven
    client = client_for(raps_admin)
    factories.OccupationFactory()
    one = _count_queries(client, "/api/v1/occupations/", 1)

    factories.OccupationFactory.create_batch(49)
    fifty = _count_queries(client, "/api/v1/occupations/", 50)

    # 1. session  2. user  3. COUNT(*)  4. the page of occupations (the catalog is not scoped:
    # the caller's scope is never resolved)
    assert one == fifty == 4


def test_sponsors_list_query_count_is_flat(client_for, raps_admin):
    def admin_of_one_more_sponsor():
        factories.MembershipFactory(user=raps_admin, sponsor=factories.SponsorFactory(), role="raps_admin")

    client = client_for(raps_admin)  # already RAPS admin of the sponsor
    one = _count_queries(client, "/api/v1/sponsors/", 1)

    for _ in range(49):
        admin_of_one_more_sponsor()
    fifty = _count_queries(client, "/api/v1/sponsors/", 50)

    # 1. session  2. user  3. memberships with their sponsors  4. the caller's own
    # apprenticeships  5. COUNT(*)  6. the page of sponsors
    assert one == fifty == 6


def test_sponsors_list_query_count_is_flat_for_employer_staff(client_for, employer_a_supervisor, employer_a):
    client = client_for(employer_a_supervisor)  # employer A takes part in the sponsor
    one = _count_queries(client, "/api/v1/sponsors/", 1)

    factories.ParticipationFactory.create_batch(49, employer=employer_a)
    fifty = _count_queries(client, "/api/v1/sponsors/", 50)

    # 1. session  2. user  3. memberships with their employers and the sponsors those employers
    # take part in  4. the caller's own apprenticeships  5. COUNT(*)  6. the page of sponsors
    assert one == fifty == 6


def test_employers_list_query_count_is_flat(client_for, raps_admin, sponsor):
    client = client_for(raps_admin)
    factories.ParticipationFactory(sponsor=sponsor)
    one = _count_queries(client, "/api/v1/employers/", 1)

    factories.ParticipationFactory.create_batch(49, sponsor=sponsor)
    fifty = _count_queries(client, "/api/v1/employers/", 50)

    # 1. session  2. user  3. memberships  4. the caller's own apprenticeships  5. COUNT(*)
    # 6. the page of employers (the sponsor's participations as a subquery)
    assert one == fifty == 6


def test_invitations_list_query_count_is_flat(client_for, raps_admin, sponsor, employer_a):
    def invite(index):
        # Each row has its own inviter; half name an employer too.
        if index % 2:
            factories.InvitationFactory(role="raps_admin", sponsor=sponsor)
        else:
            factories.InvitationFactory(role="supervisor", sponsor=sponsor, employer=employer_a)

    client = client_for(raps_admin)
    invite(0)
    one = _count_queries(client, "/api/v1/invitations/", 1)

    for index in range(1, 50):
        invite(index)
    fifty = _count_queries(client, "/api/v1/invitations/", 50)

    # 1. session  2. user  3. memberships  4. the caller's own apprenticeships  5. COUNT(*)
    # 6. the page of invitations, with sponsor, employer and inviter joined
    assert one == fifty == 6


def test_malformed_json_body_is_400_with_non_field_errors(client_for, raps_admin):
    response = client_for(raps_admin).post(
        "/api/v1/employers/", data='{"name": "Angel City Code",', content_type="application/json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert response.json()["non_field_errors"][0].startswith("JSON parse error")


@pytest.mark.parametrize("resource", ["occupations", "sponsors", "employers", "invitations"])
def test_page_past_the_end_is_404(client_for, raps_admin, resource):
    response = client_for(raps_admin).get(f"/api/v1/{resource}/?page=999")

    assert response.status_code == 404
    assert "detail" in response.json()


def _named_rows(client, url, rows):
    """The page, with every row naming its apprentice, program and employer beside the ids."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert len(results) == rows
    for row in results:
        assert row["apprentice_detail"]["name"]
        assert row["apprentice_detail"]["email"]
        assert row["program_detail"]["title"]
        assert row["employer_detail"]["name"]
    return len(context.captured_queries), results


def test_hour_logs_name_their_apprentice_program_employer_and_work_process_in_the_same_queries(
    client_for, raps_admin, program, employer_a
):
    client = client_for(raps_admin)
    factories.HourLogFactory(apprenticeship=factories.ApprenticeshipFactory(program=program, employer=employer_a))
    one, _ = _named_rows(client, "/api/v1/hour-logs/?status=submitted", 1)

    for apprenticeship in factories.ApprenticeshipFactory.create_batch(29, program=program, employer=employer_a):
        factories.HourLogFactory(apprenticeship=apprenticeship)
    thirty, results = _named_rows(client, "/api/v1/hour-logs/?status=submitted", 30)

    assert len({row["apprentice_detail"]["id"] for row in results}) == 30
    assert all(row["work_process_detail"]["title"] for row in results)
    # 1. session  2. user  3. memberships  4. the caller's own apprenticeships  5. COUNT(*)
    # 6. the page of logs, with the apprentice, program, employer and work process joined
    assert one == thirty == 6


def test_milestones_name_their_apprentice_program_and_employer_in_the_same_queries(
    client_for, raps_admin, program, employer_a
):
    from django.utils import timezone

    from competencies.models import Milestone

    definition = factories.MilestoneDefinitionFactory(program=program)

    def reach():
        Milestone.objects.create(
            apprenticeship=factories.ApprenticeshipFactory(program=program, employer=employer_a),
            definition=definition,
            reached_at=timezone.now(),
        )

    client = client_for(raps_admin)
    reach()
    one, _ = _named_rows(client, "/api/v1/milestones/", 1)

    for _ in range(29):
        reach()
    thirty, results = _named_rows(client, "/api/v1/milestones/", 30)

    assert len({row["apprentice_detail"]["id"] for row in results}) == 30
    # 1. session  2. user  3. memberships  4. the caller's own apprenticeships  5. COUNT(*)
    # 6. the page of milestones, with definition, apprentice, program and employer joined
    assert one == thirty == 6


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/hour-logs/?status=submitted",
        "/api/v1/milestones/?status=pending",
        "/api/v1/apprenticeships/?status=active",
        "/api/v1/apprenticeships/?include=progress&status=active",
    ],
)
def test_a_lists_count_joins_none_of_the_tables_its_rows_name(client_for, raps_admin, program, employer_a, url):
    """A page's rows name their apprentice, program and employer; counting the rows needs none
    of those joins, which PostgreSQL would run over every row of the list (portal/api/pagination.py
    `values_of`)."""
    from django.utils import timezone

    from competencies.models import Milestone

    apprenticeship = factories.ApprenticeshipFactory(program=program, employer=employer_a)
    factories.HourLogFactory(apprenticeship=apprenticeship)
    Milestone.objects.create(
        apprenticeship=apprenticeship,
        definition=factories.MilestoneDefinitionFactory(program=program),
        reached_at=timezone.now(),
    )
    with CaptureQueriesContext(connection) as context:
        response = client_for(raps_admin).get(url)

    assert response.status_code == 200, response.content
    assert response.json()["count"] == 1
    (count,) = [query["sql"] for query in context.captured_queries if "COUNT(*)" in query["sql"]]
    for named in (
        '"portal_user"',
        '"sponsors_employer"',
        '"apprenticeships_workprocess"',
        '"apprenticeships_apprenticeregistration"',
        '"competencies_hourtotals"',
    ):
        assert f"JOIN {named}" not in count
