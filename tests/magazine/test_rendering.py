"""An article's Markdown becomes HTML that cannot run script, load foreign content or smuggle links."""

import pytest

from magazine.rendering import image_source_allowed, render_markdown
from tests.magazine.factories import ArticleFactory

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="/media/a.jpg" onerror="alert(1)">',
    "<body onload=alert(1)>",
    '<a href="javascript:alert(1)">lien</a>',
    '<a href="JaVaScRiPt:alert(1)">lien</a>',
    '<a href="  javascript:alert(1)">lien</a>',
    '<a href="jav&#x61;script:alert(1)">lien</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">lien</a>',
    '<a href="jav&#x09;ascript:alert(1)">lien</a>',
    '<a href="java\nscript:alert(1)">lien</a>',
    "[lien](javascript:alert(1))",
    "[lien](JAVASCRIPT:alert(1))",
    "[lien](vbscript:msgbox(1))",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">lien</a>',
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="https://evil.example/"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div style="width: expression(alert(1))">x</div>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<form action="https://evil.example/"><input name=q><button>ok</button></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<a href="https://ok.example/" onclick="alert(1)" onmouseover="alert(1)">lien</a>',
    "<details open ontoggle=alert(1)>",
    '<base href="https://evil.example/">',
]
FORBIDDEN = [
    "<script",
    "onerror",
    "onload",
    "onclick",
    "onmouseover",
    "ontoggle",
    "javascript:",
    "vbscript:",
    "data:",
    "<iframe",
    "<svg",
    "<object",
    "<embed",
    "<style",
    "style=",
    "expression(",
    "<form",
    "<meta",
    "<base",
    "evil.example",
    "alert(1)</",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_payload_survives(payload):
    html = render_markdown(f"Avant\n\n{payload}\n\nAprès").lower()
    for needle in FORBIDDEN:
        assert needle not in html, (payload, html)


@pytest.mark.parametrize(
    "src",
    [
        "https://evil.example/pixel.png",
        "http://evil.example/pixel.png",
        "//evil.example/pixel.png",
        "/\\evil.example/pixel.png",
        "/admin/logout/",
        "data:image/png;base64,iVBORw0KGgo=",
    ],
)
def test_foreign_images_lose_their_source(src):
    html = render_markdown(f"![Une photo]({src})")
    assert "src=" not in html
    assert not image_source_allowed(src)


@pytest.mark.parametrize(
    "src",
    [
        "/media/magazine/2025/05/marche.jpg",
        "/static/img/logo.png",
        "photos/marche.jpg",
        "http://127.0.0.1:8000/media/a.jpg",
    ],
)
def test_the_sites_own_images_are_kept(src):
    assert f'src="{src}"' in render_markdown(f"![Le marché]({src})")


def test_ordinary_markdown_is_rendered():
    html = render_markdown(
        "# Le marché\n\nDu **bon** et du *frais*, voir [la ferme](https://ferme.example/) "
        "ou [écrire](mailto:ferme@example.org).\n\n- pommes\n- poires\n\n> Une citation\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert "<h2>Le marché</h2>" in html  # the page's only <h1> is the title
    assert "<strong>bon</strong>" in html and "<em>frais</em>" in html
    assert '<a href="https://ferme.example/" rel="noopener noreferrer">la ferme</a>' in html
    assert 'href="mailto:ferme@example.org"' in html
    assert "<li>pommes</li>" in html
    assert "<blockquote>" in html
    assert "<td>1</td>" in html


@pytest.mark.django_db
def test_the_html_is_stored_on_save_and_follows_edits():
    article = ArticleFactory(body="Bonjour <script>alert(1)</script>**tout le monde**")
    assert article.body_html == "<p>Bonjour <strong>tout le monde</strong></p>"
    article.body = "Au revoir"
    article.save()
    article.refresh_from_db()
    assert article.body_html == "<p>Au revoir</p>"
