"""requirements.txt holds what runs in production: each pin is imported or loaded by the site, none is left over."""

import re
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Used without an import statement in our code: each with where it is loaded.
LOADED_BY_NAME = {
    "gunicorn": "the production server (README, docs/deployment.md)",
    "psycopg": "PostgreSQL's driver, loaded by Django for a postgres:// DATABASE_URL",
    "redis": "loaded by Django's RedisCache when REDIS_URL is set",
}


def pinned(path):
    names = []
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            names.append(re.split(r"[\[=<>~!]", line)[0].strip())
    return names


def normalised(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def imported_modules():
    sources = [
        path.read_text()
        for folder in ("localdir", "producers", "moderation", "magazine")
        for path in (ROOT / folder).rglob("*.py")
    ]
    text = "\n".join(sources)
    modules = set(re.findall(r"^\s*(?:from|import)\s+([\w]+)", text, re.MULTILINE))
    # Apps and backends named in the settings are imported by Django.
    modules |= set(re.findall(r'"([a-z_]+)(?:\.[\w.]+)?"', (ROOT / "localdir" / "settings.py").read_text()))
    return modules


def test_every_runtime_requirement_is_used():
    distributions = {}
    for module, names in packages_distributions().items():
        for name in names:
            distributions.setdefault(normalised(name), set()).add(module)
    modules = imported_modules()
    unused = [
        name
        for name in pinned(ROOT / "requirements.txt")
        if normalised(name) not in LOADED_BY_NAME and not distributions.get(normalised(name), set()) & modules
    ]
    assert unused == []


def test_demo_data_is_a_development_dependency():
    assert "Faker" not in pinned(ROOT / "requirements.txt")
    assert "Faker" in pinned(ROOT / "requirements-dev.txt")
