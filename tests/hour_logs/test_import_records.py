"""Each import is a record (docs/domain.md): who imported which file when, its checksum and the
rows it wrote, which each written log names; hour-imports/ shows it to its importer and to the
sponsor's RAPS administrators only."""

import hashlib

from django.db import connection
from django.test.utils import CaptureQueriesContext

from competencies.models import HourImport, HourLog
from tests import factories
from tests.hour_logs.test_import import HEADER, IMPORT, csv_file, upload

IMPORTS = "/api/v1/hour-imports/"


def test_an_import_records_who_when_which_file_and_the_rows_it_wrote(
    client_for, employer_a_supervisor, sponsor, apprenticeship, front_end, back_end
):
    lines = [
        f"{apprenticeship.id},2025-03-03,8,ojt,{front_end.id},Forms",
        f"{apprenticeship.id},2025-03-04,6,ojt,{back_end.id},API",
    ]
    client = client_for(employer_a_supervisor)

    response = upload(client, csv_file(*lines))

    assert response.status_code == 201, response.json()
    record = HourImport.objects.get()
    body = response.json()
    assert body["id"] == str(record.id)
    assert (record.sponsor_id, record.imported_by_id, record.file_name, record.rows_written, record.rows_skipped) == (
        sponsor.id,
        employer_a_supervisor.id,
        "hours.csv",
        2,
        0,
    )
    assert record.checksum == hashlib.sha256("\n".join([HEADER, *lines, ""]).encode()).hexdigest()
    assert body["imported_by"] == {"id": str(employer_a_supervisor.id), "name": employer_a_supervisor.display_name}
    assert set(HourLog.objects.values_list("hour_import", flat=True)) == {record.id}
    linked = client.get("/api/v1/hour-logs/", {"hour_import": str(record.id)}).json()["results"]
    assert sorted(log["id"] for log in linked) == sorted(log["id"] for log in body["logs"])


def test_a_refused_file_leaves_no_record(client_for, employer_a_supervisor, apprenticeship, front_end):
    response = upload(
        client_for(employer_a_supervisor), csv_file(f"{apprenticeship.id},2025-03-03,7.3,ojt,{front_end.id},x")
    )

    assert response.status_code == 400
    assert not HourImport.objects.exists()


def test_imports_are_read_by_their_importer_and_the_sponsors_raps_admins_only(
    client_for, employer_a_supervisor, employer_b_supervisor, raps_admin, other_raps_admin, apprenticeship, front_end
):
    response = upload(
        client_for(employer_a_supervisor), csv_file(f"{apprenticeship.id},2025-03-03,8,ojt,{front_end.id},x")
    )
    assert response.status_code == 201, response.json()
    record = f"{IMPORTS}{response.json()['id']}/"

    def listed(user):
        return [row["id"] for row in client_for(user).get(IMPORTS).json()["results"]]

    assert listed(employer_a_supervisor) == listed(raps_admin) == [response.json()["id"]]
    assert listed(employer_b_supervisor) == listed(other_raps_admin) == []
    assert client_for(raps_admin).get(record).json()["rows_written"] == 1
    assert client_for(employer_b_supervisor).get(record).status_code == 404
    assert client_for(other_raps_admin).get(record).status_code == 404


def test_the_imports_list_costs_the_same_for_one_import_and_for_twenty(client_for, raps_admin, sponsor):
    client = client_for(raps_admin)

    def queries(rows):
        with CaptureQueriesContext(connection) as context:
            response = client.get(IMPORTS)
        assert len(response.json()["results"]) == rows
        return len(context.captured_queries)

    factories.HourImportFactory(sponsor=sponsor)
    one = queries(1)
    factories.HourImportFactory.create_batch(19, sponsor=sponsor)

    assert queries(20) == one


def test_the_import_form_refuses_a_skip_duplicates_that_is_not_a_boolean(
    client_for, employer_a_supervisor, apprenticeship, front_end
):
    file = csv_file(f"{apprenticeship.id},2025-03-03,8,ojt,{front_end.id},x")

    response = client_for(employer_a_supervisor).post(
        IMPORT, {"file": file, "skip_duplicates": "perhaps"}, format="multipart"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["skip_duplicates"]
    assert not HourLog.objects.exists()
