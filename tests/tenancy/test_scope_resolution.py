"""portal.tenancy.resolve_scope and sponsors.selectors.caller_scope: the caller's scope is
built in a fixed number of queries, once per request, however many memberships it holds."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from portal.tenancy import OrganizationRole, Scope, resolve_scope
from sponsors.selectors import caller_scope
from tests import factories


def _request_of(user):
    request = RequestFactory().get("/api/v1/me/")
    request.user = user
    return request


def test_scope_is_resolved_once_and_kept_on_the_request(employer_a_supervisor, employer_a, django_assert_num_queries):
    request = _request_of(employer_a_supervisor)
    with CaptureQueriesContext(connection) as first_time:
        first = resolve_scope(request)
    assert len(first_time) >= 1
    assert first.staff_employer_ids == {employer_a.id}

    with django_assert_num_queries(0):
        second = resolve_scope(request)

    assert second is first


def test_signed_out_caller_has_an_empty_scope_without_queries(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        scope = resolve_scope(_request_of(AnonymousUser()))

    assert scope == Scope(user_id=None)
    assert not scope.member_sponsor_ids
    assert not scope.staff_employer_ids


def test_raps_admin_scope_names_the_sponsor_in_one_query(raps_admin, sponsor, django_assert_num_queries):
    with django_assert_num_queries(1):
        scope = caller_scope(user=raps_admin)

    assert scope.user_id == raps_admin.id
    assert scope.memberships == (OrganizationRole(sponsor.id, "Technology HRTP", "sponsor", "raps_admin"),)
    assert scope.admin_sponsor_ids == {sponsor.id}
    assert scope.partner_sponsor_ids == frozenset()
    assert scope.staff_employer_ids == frozenset()
    assert scope.is_raps_admin(sponsor.id)
    assert not scope.is_platform_staff


def test_employer_admin_scope_reaches_the_sponsors_the_employer_takes_part_in(
    employer_a_admin, employer_a, sponsor, other_sponsor
):
    factories.ParticipationFactory(sponsor=other_sponsor, employer=employer_a)

    scope = caller_scope(user=employer_a_admin)

    assert scope.admin_sponsor_ids == frozenset()
    assert scope.staff_employer_ids == {employer_a.id}
    assert scope.admin_employer_ids == {employer_a.id}
    assert scope.partner_sponsor_ids == {sponsor.id, other_sponsor.id}
    assert scope.member_sponsor_ids == {sponsor.id, other_sponsor.id}


def test_supervisor_is_staff_but_not_admin_of_the_employer(employer_a_supervisor, employer_a, sponsor):
    scope = caller_scope(user=employer_a_supervisor)

    assert scope.is_employer_staff(employer_a.id, sponsor.id)
    assert not scope.is_employer_admin(employer_a.id, sponsor.id)


@pytest.mark.parametrize("persona", ["apprentice", "outsider"])
def test_caller_without_membership_has_an_empty_scope(request, persona, django_assert_num_queries):
    user = request.getfixturevalue(persona)

    with django_assert_num_queries(1):
        scope = caller_scope(user=user)

    assert scope == Scope(user_id=user.id)


def test_platform_staff_scope_says_so_and_holds_no_tenant(platform_staff):
    scope = caller_scope(user=platform_staff)

    assert scope.is_platform_staff
    assert not scope.member_sponsor_ids
    assert not scope.staff_employer_ids


def _queries(client, method, url, data=None):
    with CaptureQueriesContext(connection) as context:
        response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
    assert response.status_code == 200, response.content
    return [query["sql"] for query in context.captured_queries]


def _membership_reads(queries):
    return [sql for sql in queries if sql.startswith("SELECT") and 'FROM "sponsors_membership"' in sql]


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/sponsors/{sponsor}/", {"contact_name": "Dana"}),
        ("/api/v1/employers/{employer}/", {"city": "Pasadena"}),
    ],
)
def test_a_write_that_asks_for_the_scope_twice_reads_memberships_once(
    client_for, raps_admin, sponsor, employer_a, url, body
):
    # get_object() and deny_unless() both ask the view for self.scope.
    queries = _queries(client_for(raps_admin), "patch", url.format(sponsor=sponsor.id, employer=employer_a.id), body)

    assert len(_membership_reads(queries)) == 1


def _staff_of_many(count, sponsor):
    """A user who is RAPS admin of `count` sponsors and staff of `count` employers of the sponsor."""
    user = factories.UserFactory()
    for _ in range(count):
        factories.MembershipFactory(user=user, sponsor=factories.SponsorFactory(), role="raps_admin")
        employer = factories.EmployerFactory()
        factories.ParticipationFactory(sponsor=sponsor, employer=employer)
        factories.MembershipFactory(user=user, employer=employer, role="employer_admin")
    return user


@pytest.mark.parametrize("url", ["/api/v1/me/", "/api/v1/sponsors/", "/api/v1/employers/", "/api/v1/invitations/"])
def test_query_count_does_not_grow_with_the_number_of_memberships(client_for, sponsor, url):
    one = _queries(client_for(_staff_of_many(1, sponsor)), "get", url)
    five = _queries(client_for(_staff_of_many(5, sponsor)), "get", url)

    assert len(five) == len(one)
    assert len(_membership_reads(five)) == 1
