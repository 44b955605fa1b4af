"""Templates with their constant translations written in, one copy per language.

Each `{% translate "…" %}` looks the active translation up and escapes its text on every render: ~10–17 µs under
load, about three variables' worth, and listing.html has seventeen of them. A string literal translated without
`as`, context or filters gives the same text for every render in one language, so the copy of the template kept
for that language holds it as plain text instead. The rest of the template (variables, `{% blocktranslate %}` with
values, URLs, static files, includes and the parent it extends) is rendered as usual, so the HTML is the same byte
for byte.

The copies follow the template loader: when the cached loader gives another template (runserver's reloader reset
it after an edit), the copies are made again; a changed catalogue (.mo) in development drops them too. Translations
inside `{% autoescape off %}` are left alone (their text would be escaped here), and so are those inside
`{% language %}` (they are in its language, not the page's).
"""

from django.template import Context, engines
from django.template.base import NodeList, TextNode, Variable
from django.template.defaulttags import AutoEscapeControlNode, IfNode
from django.templatetags.i18n import LanguageNode, TranslateNode
from django.utils import translation
from django.utils.autoreload import file_changed

# {(template name, language): (the loader's template, the copy with its translations written in)}
_copies = {}


def _constant(node):
    """Whether `node` is a `{% translate "literal" %}` whose text depends on the language only."""
    expression = node.filter_expression
    return (
        node.asvar is None
        and node.message_context is None
        and not node.noop
        and isinstance(expression.var, Variable)
        and expression.var.literal is not None
        and not expression.filters
    )


def _fold(nodelist, context):
    """`nodelist` and the node lists inside it with their constant translations rendered as text, in place."""
    for index, node in enumerate(nodelist):
        if isinstance(node, TranslateNode) and _constant(node):
            nodelist[index] = TextNode(node.render(context))
        elif isinstance(node, (AutoEscapeControlNode, LanguageNode)):
            continue
        elif isinstance(node, IfNode):
            for _, branch in node.conditions_nodelists:
                _fold(branch, context)
        else:
            for name in node.child_nodelists:
                child = getattr(node, name, None)
                if isinstance(child, NodeList):
                    _fold(child, context)


def _localized(loaded, language):
    template = loaded.template
    copy = type(template)(template.source, template.origin, template.name, template.engine)
    with translation.override(language):
        _fold(copy.nodelist, Context(autoescape=template.engine.autoescape))
    return type(loaded)(copy, loaded.backend)


def get_template(name):
    """django.template.loader.get_template(name) of the Django engine, its constant translations in the active
    language written in."""
    loaded = engines["django"].get_template(name)
    language = translation.get_language()
    key = (name, language)
    found = _copies.get(key)
    if found is None or found[0] is not loaded.template:
        found = _copies[key] = (loaded.template, _localized(loaded, language))
    return found[1]


def _catalogue_changed(sender, file_path, **kwargs):
    if file_path.suffix == ".mo":
        _copies.clear()


file_changed.connect(_catalogue_changed, dispatch_uid="localdir.localized")
