"""localdir.localized: a template's copy per language, its constant translations written in, renders what Django
renders."""

from pathlib import Path

import pytest
from django.template import engines, loader
from django.template.defaulttags import IfNode
from django.templatetags.i18n import TranslateNode
from django.utils import translation

from localdir import localized

TEMPLATES = {
    "page.html": (
        '{% extends "base_page.html" %}{% load i18n %}'
        '{% block body %}<h1>{% translate "Home" %}</h1>'
        '<p title="{% translate "volunteers\' area" %}">{% translate "Contact" as label %}{{ label }}</p>'
        "{% if show %}{% translate 'Opening hours' %}{% elif other %}{% translate 'Photos' %}"
        "{% else %}{% translate 'About' %}{% endif %}"
        "{% for item in items %}{% translate 'Website' %} {{ item }}{% empty %}{% translate 'Report an error' %}"
        "{% endfor %}"
        '{% with name="<b>" %}{% translate "Home" %} {{ name }}{% endwith %}'
        "{% translate 'home'|upper %} {% translate 'Photos' noop %} {% translate 'May' context 'month name' %}"
        '{% autoescape off %}{% translate "volunteers\' area" %}{% endautoescape %}'
        '{% language "en" %}{% translate "Home" %}{% endlanguage %}'
        "{% include 'part.html' %}{% endblock %}"
    ),
    "base_page.html": "{% load i18n %}<title>{% translate 'Contact' %}</title>{% block body %}{% endblock %}",
    "part.html": '{% load i18n %}<footer>{% translate "producer\'s edits" %}</footer>',
}


@pytest.fixture
def templates(settings):
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "loaders": [
                    ("django.template.loaders.cached.Loader", [("django.template.loaders.locmem.Loader", TEMPLATES)])
                ]
            },
        }
    ]
    localized._copies.clear()
    yield
    localized._copies.clear()


def translate_nodes(template):
    """The template's own {% translate %} nodes (not its parent's nor its includes')."""
    found = []

    def walk(nodelist):
        for node in nodelist:
            if isinstance(node, TranslateNode):
                found.append(node)
            if isinstance(node, IfNode):
                children = [branch for _, branch in node.conditions_nodelists]
            else:
                children = [getattr(node, name, None) for name in node.child_nodelists]
            for child in children:
                walk(child or [])

    walk(template.template.nodelist)
    return found


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("context", [{"show": True, "items": ["a", "<b>"]}, {"other": True}, {}])
def test_the_copy_renders_what_django_renders(templates, language, context):
    with translation.override(language):
        expected = loader.get_template("page.html").render(context)
        assert localized.get_template("page.html").render(context) == expected
    assert ("Accueil" in expected) == (language == "fr")


def test_only_the_constant_translations_are_written_in(templates):
    with translation.override("fr"):
        left = translate_nodes(localized.get_template("page.html"))
        assert len(translate_nodes(loader.get_template("page.html"))) == 14
    # `as`, filters, noop, context, autoescape off and another language are rendered as before; the parent and
    # includes too
    assert sorted(node.filter_expression.token for node in left) == sorted(
        [
            '"volunteers\' area"',
            "'May'",
            "'Photos'",
            "'home'|upper",
            '"Contact"',
            '"Home"',
        ]
    )


def test_each_language_has_its_copy_and_it_follows_the_loader(templates):
    with translation.override("fr"):
        french = localized.get_template("page.html")
        assert localized.get_template("page.html") is french
    with translation.override("en"):
        assert "<h1>Home</h1>" in localized.get_template("page.html").render({})
    TEMPLATES["page.html"] = TEMPLATES["page.html"].replace("<h1>", "<h1 class='new'>")
    try:
        engines["django"].engine.template_loaders[0].reset()
        with translation.override("fr"):
            assert "<h1 class='new'>Accueil</h1>" in localized.get_template("page.html").render({})
    finally:
        TEMPLATES["page.html"] = TEMPLATES["page.html"].replace("<h1 class='new'>", "<h1>")


def test_a_changed_catalogue_drops_the_copies(templates):
    with translation.override("fr"):
        french = localized.get_template("page.html")
        localized.file_changed.send(sender=None, file_path=Path("locale/fr/LC_MESSAGES/django.mo"))
        assert localized.get_template("page.html") is not french
        again = localized.get_template("page.html")
        localized.file_changed.send(sender=None, file_path=Path("producers/views.py"))
        assert localized.get_template("page.html") is again
