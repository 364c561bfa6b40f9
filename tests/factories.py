"""factory_boy factories: one per model, with the fewest fields a valid record needs."""

import datetime

import factory
from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils import timezone

from apprenticeships.models import Occupation
from portal.models import User
from sponsors.models import Employer, Invitation, Membership, Participation, Sponsor

PASSWORD = "correct-horse-battery-staple-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """Every factory user has a verified primary address unless `verified=False`."""
        obj.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class SponsorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sponsor

    name = factory.Sequence(lambda n: f"Sponsor {n}")
    registration_number = factory.Sequence(lambda n: f"CA{2020000 + n}")
    registration_agency = "state"
    agency_state = "CA"
    sponsor_type = "intermediary"
    registration_date = datetime.date(2020, 1, 15)


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"Employer {n}")
    ein = factory.Sequence(lambda n: f"95-{1000000 + n}")
    city = "Los Angeles"
    state = "CA"
    naics_code = "541511"


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    sponsor = factory.SubFactory(SponsorFactory)
    employer = factory.SubFactory(EmployerFactory)
    joined_on = datetime.date(2021, 1, 4)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = "supervisor"


class InvitationFactory(factory.django.DjangoModelFactory):
    """An invitation stored directly; tests that need the token use the service instead."""

    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = "supervisor"
    invited_by = factory.SubFactory(UserFactory)
    token_hash = factory.Sequence(lambda n: f"{n:064x}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + settings.INVITATION_TTL)


class OccupationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Occupation

    title = factory.Sequence(lambda n: f"Occupation {n}")
    onet_soc_code = "15-1254"
    training_approach = "hybrid"
