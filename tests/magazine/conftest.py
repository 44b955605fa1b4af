import pytest
from django.contrib.auth.models import Group

from tests.factories import DepartmentFactory, RegionFactory, UserFactory


@pytest.fixture
def maine_et_loire(db):
    return DepartmentFactory()


@pytest.fixture
def gironde(db):
    return DepartmentFactory(code="33", name="Gironde", region=RegionFactory(code="75", name="Nouvelle-Aquitaine"))


@pytest.fixture
def editor(db):
    """A member of the "Rédaction" group created by the migration: staff, with rights on the Mag only."""
    user = UserFactory(username="redaction", is_staff=True)
    user.groups.add(Group.objects.get(name="Rédaction"))
    return user


@pytest.fixture
def staff_without_rights(db):
    return UserFactory(username="benevole", is_staff=True)
