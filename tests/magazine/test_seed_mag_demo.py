"""`make run` seeds the Mag too: /mag/ is never an empty page, and a department page shows a pinned notice."""

import re

import pytest
from django.core.management import call_command

from magazine.models import Article
from tests.factories import CommuneFactory, ListingFactory

pytestmark = pytest.mark.django_db


def test_the_mag_and_a_department_page_have_demo_content(client, maine_et_loire, gironde):
    ListingFactory(commune=CommuneFactory(), name="Ferme des Noues")
    call_command("seed_mag_demo", "--if-empty", verbosity=0)

    html = client.get("/mag/").content.decode()
    titles = re.findall(r'<h3 class="card__title"><a [^>]*>([^<]+)</a>', html)
    assert len(titles) >= 4
    assert ">Maine-et-Loire (49)</option>" in html
    notice = client.get(maine_et_loire.get_absolute_url()).content.decode()
    assert "Le marché de Chalonnes-sur-Loire passe à l&#x27;heure d&#x27;hiver" in notice
    # Every demo article uses "##" sections, rendered as the second level under the title.
    assert all("<h2>" in body and "<h1>" not in body for body in Article.objects.values_list("body_html", flat=True))


def test_if_empty_seeds_once(maine_et_loire):
    call_command("seed_mag_demo", "--if-empty", verbosity=0)
    count = Article.objects.count()
    call_command("seed_mag_demo", "--if-empty", verbosity=0)
    assert Article.objects.count() == count > 0
