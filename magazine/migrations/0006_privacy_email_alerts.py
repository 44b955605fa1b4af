"""The privacy notice says what the email alerts keep (alerts/): the address, only while subscribed."""

from django.db import migrations

from magazine.rendering import render_markdown

SECTION = """## Les alertes par e-mail

Si vous demandez à recevoir par e-mail les nouvelles fiches d'un département, d'une commune ou d'une catégorie,
nous conservons votre adresse, la recherche suivie et la langue de la page, uniquement pour vous envoyer ces
e-mails. Une demande non confirmée par le lien reçu est effacée au bout de sept jours. Chaque e-mail contient un
lien de désinscription : votre adresse est alors effacée aussitôt."""

SECTION_EN = """## Email alerts

If you ask to receive by email the new listings of a department, a town or a category, we keep your address, the
search you follow and the language of the page, only to send you these emails. A request not confirmed through the
link you receive is deleted after seven days. Every email has a link to unsubscribe: your address is then deleted
at once."""

MARKER, MARKER_EN = "## Les alertes par e-mail", "## Email alerts"


def add_section(apps, schema_editor):
    SitePage = apps.get_model("magazine", "SitePage")
    page = SitePage.objects.filter(slug="confidentialite").first()
    if page is None:
        return
    # The editors may have rewritten the page: the section is added once, after what they wrote.
    if MARKER not in page.body:
        page.body = f"{page.body.rstrip()}\n\n{SECTION}"
        page.body_html = render_markdown(page.body)
    if page.body_en and MARKER_EN not in page.body_en:
        page.body_en = f"{page.body_en.rstrip()}\n\n{SECTION_EN}"
        page.body_en_html = render_markdown(page.body_en)
    page.save()


def remove_section(apps, schema_editor):
    SitePage = apps.get_model("magazine", "SitePage")
    page = SitePage.objects.filter(slug="confidentialite").first()
    if page is None:
        return
    page.body = page.body.replace(f"\n\n{SECTION}", "")
    page.body_en = page.body_en.replace(f"\n\n{SECTION_EN}", "")
    page.body_html = render_markdown(page.body)
    page.body_en_html = render_markdown(page.body_en) if page.body_en else ""
    page.save()


class Migration(migrations.Migration):
    dependencies = [("magazine", "0005_site_pages")]

    operations = [migrations.RunPython(add_section, remove_section)]
