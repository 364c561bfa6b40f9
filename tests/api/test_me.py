def test_me_lists_the_callers_memberships(client_for, raps_admin, sponsor):
    response = client_for(raps_admin).get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json() == {
        "id": str(raps_admin.id),
        "email": "raps.admin@example.org",
        "name": "Rae Admin",
        "is_platform_staff": False,
        "language": "en",
        "memberships": [
            {
                "organization": {"id": str(sponsor.id), "name": "Technology HRTP", "kind": "sponsor"},
                "role": "raps_admin",
            }
        ],
        "apprenticeships": [],
    }


def test_me_of_employer_staff_names_the_employer(client_for, employer_a_supervisor, employer_a):
    memberships = client_for(employer_a_supervisor).get("/api/v1/me/").json()["memberships"]

    assert memberships == [
        {"organization": {"id": str(employer_a.id), "name": "Employer A", "kind": "employer"}, "role": "supervisor"}
    ]


def test_me_needs_sign_in(anonymous_client):
    response = anonymous_client.get("/api/v1/me/")

    assert response.status_code == 401
