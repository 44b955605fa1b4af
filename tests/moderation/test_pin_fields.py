"""The pin's coordinates are visible, labelled inputs: a producer without a mouse (or without JavaScript) can type
them, in French or English decimals; impossible values are refused next to the field, the rest kept."""

import re

import pytest

from producers.models import Listing

pytestmark = pytest.mark.django_db

URL = "/inscrire/"


def test_the_coordinates_are_labelled_text_inputs(client):
    html = client.get(URL).content.decode()
    for name in ("latitude", "longitude"):
        assert re.search(rf'<label for="id_{name}">{name.capitalize()}', html)
        [tag] = re.findall(rf'<input [^>]*name="{name}"[^>]*>', html)
        assert 'type="text"' in tag and 'inputmode="decimal"' in tag
    assert "data-pin-status" in html and 'aria-live="polite"' in html


@pytest.mark.parametrize(("latitude", "longitude"), [("47,4712", "-0,5534"), ("47.4712", "-0.5534")])
def test_typed_coordinates_are_kept_in_either_decimal_spelling(client, submission, latitude, longitude):
    response = client.post(URL, {**submission, "latitude": latitude, "longitude": longitude})
    assert response.status_code == 302, response.context["form"].errors
    listing = Listing.objects.get()
    assert (listing.latitude, listing.longitude) == (47.4712, -0.5534)


@pytest.mark.parametrize(("field", "value"), [("latitude", "95"), ("longitude", "-200"), ("latitude", "quarante-sept")])
def test_impossible_coordinates_are_refused_next_to_the_field(client, submission, field, value):
    response = client.post(URL, {**submission, field: value})
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field], form.errors
    html = response.content.decode()
    assert f'id="id_{field}_error_1"' in html or form.errors[field][0] in html
    assert 'value="Ferme des Trois Chênes"' in html
    assert not Listing.objects.exists()
