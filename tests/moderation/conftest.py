import pytest
from django.contrib.auth.models import Group

from tests.factories import CategoryFactory, CommuneFactory, UserFactory


@pytest.fixture
def angers(db):
    return CommuneFactory()


@pytest.fixture
def category(db):
    return CategoryFactory(name="Légumes", slug="legumes")


@pytest.fixture
def moderator(db):
    """alice: a volunteer in the Moderators group, staff, nothing else."""
    user = UserFactory(username="alice", is_staff=True)
    user.groups.add(Group.objects.get(name="Modérateurs"))
    return user


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client
