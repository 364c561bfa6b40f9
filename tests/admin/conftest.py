"""Rows of every registered model for the admin's tests."""

import factory
import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.utils import timezone

from apprenticeships.selectors import caller_scope
from apprenticeships.services import document_download_record, document_file, population_create
from competencies.models import (
    CompetencySignOff,
    InterimCredential,
    Milestone,
    ProgressReview,
    ReviewRating,
    WorkProcessTotal,
)
from tests import factories
from tests.agreements.helpers import sign_as
from tests.aid.helpers import make_fund, make_request


def _factories_by_model():
    return {
        value._meta.model: value
        for value in vars(factories).values()
        if isinstance(value, type) and issubclass(value, factory.django.DjangoModelFactory) and value._meta.model
    }


@pytest.fixture
def one_of_each(raps_admin, employer_a_supervisor, employer_a, sponsor):
    """At least one row, made through a save (so with history), of every registered model: one
    apprenticeship at employer A with all its records, then a factory row of any model left."""
    factories.InvitationFactory(role="supervisor", sponsor=sponsor, employer=employer_a, invited_by=raps_admin)
    Group.objects.create(name="Auditors")
    program = factories.ProgramFactory(sponsor=sponsor)  # its occupation comes with history
    work_process = factories.WorkProcessFactory(program=program)
    competency = factories.CompetencyFactory(work_process=work_process)
    factories.WageStepFactory(program=program)
    definition = factories.MilestoneDefinitionFactory(program=program)
    apprenticeship = factories.ApprenticeshipFactory(program=program, employer=employer_a)
    factories.HourLogFactory(apprenticeship=apprenticeship, work_process=work_process)
    WorkProcessTotal.objects.create(apprenticeship=apprenticeship, work_process=work_process, approved_hours=8)
    CompetencySignOff.objects.create(
        apprenticeship=apprenticeship,
        competency=competency,
        signed_off_by=employer_a_supervisor,
        signed_off_at=timezone.now(),
        rating="proficient",
    )
    Milestone.objects.create(apprenticeship=apprenticeship, definition=definition, reached_at=timezone.now())
    document = document_file(
        apprenticeship=apprenticeship,
        kind="evidence",
        title="Letter",
        content=b"%PDF-1.4 letter",
        filename="letter.pdf",
        content_type="application/pdf",
        by=employer_a_supervisor,
        reason="filed",
    )
    document_download_record(document=document, by=raps_admin, ip_address="127.0.0.1")
    make_request(apprenticeship, fund=make_fund(sponsor))
    review = ProgressReview.objects.create(
        apprenticeship=apprenticeship,
        reason="periodic",
        period=1,
        due_on=apprenticeship.start_date,
        written_by=employer_a_supervisor,
    )
    ReviewRating.objects.create(review=review, work_process=work_process, rating=3)
    certificate = document_file(
        apprenticeship=apprenticeship,
        kind="credential",
        title="Interim credential",
        content=b"%PDF-1.4 credential",
        filename="credential.pdf",
        content_type="application/pdf",
        by=None,
        reason="issued",
        verifiable=True,
    )
    sign_as(apprenticeship, apprenticeship.apprentice, "apprentice")  # an agreement version and a signature
    population_create(
        scope=caller_scope(user=raps_admin),
        created_by=raps_admin,
        name="Veterans",
        criterion="veteran",
        values=[],
    )
    InterimCredential.objects.create(
        apprenticeship=apprenticeship, work_process=work_process, document=certificate, issued_on=timezone.localdate()
    )
    for model, model_factory in _factories_by_model().items():
        if model in admin.site._registry and not model._default_manager.exists():
            model_factory()
