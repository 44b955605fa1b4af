"""The registration form (/inscrire/) on a phone, filled in and sent as a producer does: shared by the browser tests
of its errors and of its spam timer."""

from tests.factories import CategoryFactory, CommuneFactory

PHONE = {"width": 390, "height": 844}


def on_a_phone(page, live_server, site_settings, min_fill_seconds):
    """`page` at a phone's size, the form accepted `min_fill_seconds` after it was opened, Angers and "Légumes" to
    choose."""
    site_settings.MODERATION_MIN_FILL_SECONDS = min_fill_seconds
    site_settings.CSRF_TRUSTED_ORIGINS = [live_server.url, live_server.url.replace("http://", "https://")]
    page.set_viewport_size(PHONE)
    CommuneFactory()
    CategoryFactory(name="Légumes", slug="legumes")
    return page


def fill_in(page, *, category="legumes", email="baumette@example.org", **fields):
    """The farm's name, its category (none if None), the other `fields` by their id (`commune`, `postal_code`…) in
    the order given, then the email."""
    page.fill("#id_name", "Ferme de la Baumette")
    if category:
        page.check(f'input[name="categories"][value="{category}"]')
    for name, value in fields.items():
        page.fill(f"#id_{name}", value)
    page.fill("#id_email", email)


def send(page):
    """ "Envoyer ma fiche", once the page it leads to has come."""
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer ma fiche").click()
