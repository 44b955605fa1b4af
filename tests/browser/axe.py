"""Accessibility checks with axe-core (tests/browser/vendor/axe-core/), injected into a page or frame under test.

The page's Content-Security-Policy forbids inline scripts and eval(): Playwright's add_script_tag would be refused,
so the engine's source is evaluated as the DevTools protocol's own expression, which CSP does not govern.
"""

from pathlib import Path

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
# WCAG 2.1 A and AA, what the RGAA follows.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(target, selector=None):
    """axe's violations on `target` (a Playwright Page or Frame) as "rule: target…" lines; [] when none."""
    if not target.evaluate("() => Boolean(window.axe)"):
        target.evaluate(AXE_SOURCE + "\n;0")
    result = target.evaluate(
        """([context, tags]) => axe.run(context || document, {runOnly: {type: 'tag', values: tags}})
            .then(result => result.violations.map(v => v.id + ': ' + v.help + ' — ' +
                v.nodes.map(n => n.target.join(' ')).join(', ')))""",
        [selector, TAGS],
    )
    return result
