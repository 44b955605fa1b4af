"""The "Rédaction" group edits the Mag and nothing else; previews are for editors only."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from magazine.models import Article
from tests.factories import UserFactory
from tests.magazine.factories import ArticleFactory, DraftFactory

pytestmark = pytest.mark.django_db


def preview_url(article):
    return reverse("magazine:preview", args=[article.pk])


class TestEditorsGroup:
    def test_it_has_rights_on_the_mags_models_only(self):
        group = Group.objects.get(name="Rédaction")
        labels = set(group.permissions.values_list("content_type__app_label", flat=True))
        codenames = set(group.permissions.values_list("codename", flat=True))
        assert labels == {"magazine"}
        assert codenames == {
            f"{action}_{model}"
            for action in ("add", "change", "delete", "view")
            for model in ("article", "articlecategory", "departmentnotice")
        } | {"view_sitepage", "change_sitepage"}  # the footer's pages: edited, never deleted

    @pytest.mark.parametrize(
        "url",
        [
            "/admin/",
            "/admin/magazine/article/",
            "/admin/magazine/article/add/",
            "/admin/magazine/articlecategory/",
            "/admin/magazine/departmentnotice/",
        ],
    )
    def test_an_editor_opens_the_mag_admin(self, client, editor, url):
        client.force_login(editor)
        assert client.get(url).status_code == 200

    @pytest.mark.parametrize(
        "url", ["/admin/auth/user/", "/admin/auth/group/", "/admin/producers/listing/", "/admin/producers/listing/add/"]
    )
    def test_an_editor_is_refused_everything_else(self, client, editor, url):
        client.force_login(editor)
        assert client.get(url).status_code == 403

    def test_staff_without_the_group_cannot_open_the_mag_admin(self, client, staff_without_rights):
        client.force_login(staff_without_rights)
        assert client.get("/admin/magazine/article/").status_code == 403

    def test_an_editor_writes_an_article_in_the_admin(self, client, editor, maine_et_loire):
        client.force_login(editor)
        response = client.post(
            "/admin/magazine/article/add/",
            {
                "title": "Le marché de Noël",
                "slug": "le-marche-de-noel",
                "author_name": "La rédaction",
                "standfirst": "Chapô",
                "body": "Du **vin chaud**.",
                "status": "draft",
                "notices-TOTAL_FORMS": "1",
                "notices-INITIAL_FORMS": "0",
                "notices-0-department": str(maine_et_loire.pk),
                "notices-0-pinned_until_0": "",
                "notices-0-pinned_until_1": "",
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        article = Article.objects.get()
        assert article.body_html == "<p>Du <strong>vin chaud</strong>.</p>"
        assert article.notices.get().department == maine_et_loire

    def test_the_change_form_links_to_the_preview(self, client, editor):
        article = DraftFactory()
        client.force_login(editor)
        html = client.get(f"/admin/magazine/article/{article.pk}/change/").content.decode()
        assert f'href="{preview_url(article)}"' in html


class TestPreview:
    def test_an_editor_previews_a_draft(self, client, editor):
        article = DraftFactory(title="Brouillon secret", body="Texte **gras**")
        client.force_login(editor)
        response = client.get(preview_url(article))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Brouillon secret" in html and "<strong>gras</strong>" in html
        assert 'class="message message--warning preview-banner"' in html
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert "no-cache" in response["Cache-Control"]

    def test_the_anonymous_visitor_gets_a_404(self, client):
        assert client.get(preview_url(DraftFactory())).status_code == 404

    def test_a_logged_in_non_staff_user_gets_a_404(self, client):
        user = UserFactory()
        client.force_login(user)
        assert client.get(preview_url(DraftFactory())).status_code == 404

    def test_staff_without_the_permission_gets_a_404(self, client, staff_without_rights):
        client.force_login(staff_without_rights)
        assert client.get(preview_url(DraftFactory())).status_code == 404

    def test_a_superuser_previews_a_scheduled_article(self, client):
        article = ArticleFactory(published_at=timezone.now() + datetime.timedelta(days=2))
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
        assert client.get(preview_url(article)).status_code == 200
        assert client.get(article.get_absolute_url()).status_code == 404
