"""The town box's autocomplete in a real browser: picking one of two homonyms leads to that one."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import CommuneFactory, DepartmentFactory, RegionFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def homonyms():
    anjou = DepartmentFactory(code="49", name="Maine-et-Loire")
    gers = DepartmentFactory(code="32", name="Gers", region=RegionFactory(code="76", name="Occitanie"))
    CommuneFactory(insee_code="32389", name="Saint-Martin", department=gers, postal_codes="32300", population=459)
    CommuneFactory(insee_code="49999", name="Saint-Martin", department=anjou, postal_codes="49999", population=58)
    return anjou


def test_picking_a_homonym_of_another_department_leads_to_its_page(page, live_server, homonyms):
    page.goto(live_server.url + homonyms.get_absolute_url())
    box = page.locator('.filters [name="commune"]')
    box.press_sequentially("saint-mar")
    options = page.locator("#commune-suggestions option")
    # The page's department first, although the other Saint-Martin is bigger.
    expect(options).to_have_count(2)
    assert [options.nth(i).get_attribute("value") for i in range(2)] == ["Saint-Martin (49)", "Saint-Martin (32)"]

    box.fill("Saint-Martin (32)")  # what picking the suggestion does
    expect(page.locator('.filters input[type="hidden"][name="commune_code"]')).to_have_value("32389")
    page.locator(".filters button[type=submit]").click()

    notice = page.locator(".notice--town")
    expect(notice).to_contain_text("Saint-Martin est dans le département Gers (32)")
    notice.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/departements/32-gers/\?commune=Saint-Martin\+%2832%29"))
    expect(page.locator('.filters [name="commune"]')).to_have_value("Saint-Martin (32)")
    assert not page.errors
    assert not page.external_requests
