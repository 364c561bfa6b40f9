import pytest

from tests import factories


@pytest.fixture
def occupation(db):
    return factories.OccupationFactory(title="Web Developer (posted)", training_approach="time_based")
