"""Draw the site's icons with Pillow (no download, no design tool): `python scripts/build_icons.py`.

A white sprout on the brand green (#1d5c2e), written to static/icons/ (PNG for the web app manifest and
Apple devices) and localdir/root/favicon.ico (served at /favicon.ico by WhiteNoise, WHITENOISE_ROOT).
static/icons/icon.svg is the same drawing by hand, for browsers that take SVG icons.
"""

from pathlib import Path

from PIL import Image, ImageDraw

BASE_DIR = Path(__file__).resolve().parent.parent
GREEN = (29, 92, 46, 255)
WHITE = (255, 255, 255, 255)
SCALE = 8  # drawn large, then reduced: smooth edges without anti-aliasing support in ImageDraw


def sprout(size, padding=0.0):
    """The icon at `size` px; `padding` (a share of the size) keeps a maskable icon's drawing in its safe zone."""
    big = size * SCALE
    image = Image.new("RGBA", (big, big), GREEN)
    draw = ImageDraw.Draw(image)

    def box(x0, y0, x1, y1):
        inner = 1 - 2 * padding
        return [big * (padding + inner * v) for v in (x0, y0, x1, y1)]

    draw.rectangle(box(0.47, 0.42, 0.53, 0.82), fill=WHITE)  # stem
    draw.ellipse(box(0.16, 0.26, 0.52, 0.50), fill=WHITE)  # left leaf
    draw.ellipse(box(0.48, 0.14, 0.86, 0.40), fill=WHITE)  # right leaf
    draw.rectangle(box(0.24, 0.80, 0.76, 0.86), fill=WHITE)  # soil
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main():
    icons = BASE_DIR / "static" / "icons"
    icons.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        sprout(size).save(icons / f"icon-{size}.png", optimize=True)
    sprout(512, padding=0.1).save(icons / "icon-maskable-512.png", optimize=True)
    sprout(180).save(icons / "apple-touch-icon.png", optimize=True)
    root = BASE_DIR / "localdir" / "root"
    root.mkdir(parents=True, exist_ok=True)
    sprout(64).save(root / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])


if __name__ == "__main__":
    main()
