from tests.invitations.conftest import invite  # noqa: F401 - the invitation tests' fixture
