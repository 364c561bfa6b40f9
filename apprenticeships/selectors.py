"""Reads of the apprenticeships app."""

from django.db.models import QuerySet

from .models import Occupation


def occupation_list() -> QuerySet[Occupation]:
    """The national catalog: every signed-in user reads all of it."""
    return Occupation.objects.all()
