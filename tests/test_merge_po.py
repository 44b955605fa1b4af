"""scripts/merge-po, the git merge driver of the translation catalogues, run by git in a repository of its own: each
side's changed translations survive a rebase and a merge, and a translation both sides changed is a conflict."""

import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parents[1] / "scripts" / "merge-po"
PO = "django.po"

HEADER = """\
msgid ""
msgstr ""
"Project-Id-Version: localdir\\n"
"POT-Creation-Date: {date}\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"
"""

BASE = {
    "Hello": 'msgstr "Bonjour"',
    "Goodbye": 'msgstr "Au revoir"',
    # A long translation on several lines, and plural forms: kept whole.
    "Closed for the season": 'msgstr ""\n"Fermé pour la saison, "\n"revenez au printemps"',
    '"%(n)s listing confirmed."\nmsgid_plural "%(n)s listings confirmed."': (
        'msgstr[0] "%(n)s fiche confirmée."\nmsgstr[1] "%(n)s fiches confirmées."'
    ),
}


def catalogue(date="2026-11-30 10:00+0100", **changed):
    """A catalogue: BASE with `changed` msgids given other msgstr lines (None to leave one out), in makemessages'
    layout (no source locations)."""
    entries = {**BASE, **changed}
    body = []
    for msgid, msgstr in entries.items():
        if msgstr is not None:
            quoted = msgid if msgid.startswith('"') else f'"{msgid}"'
            body.append(f"msgid {quoted}\n{msgstr}\n")
    return "\n".join([HEADER.format(date=date), *body])


def git(repo, *args, check=True):
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=check)


def commit(repo, text, message):
    (repo / PO).write_text(text)
    git(repo, "commit", "-q", "-am", message)


@pytest.fixture
def repo(tmp_path):
    """A repository whose main and branch both start from the same catalogue, with the driver set as the script
    says."""
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "config", "user.name", "Test")
    git(tmp_path, "config", "user.email", "test@example.org")
    git(tmp_path, "config", "merge.po.driver", f"{SCRIPT} %A %B %O")
    (tmp_path / ".gitattributes").write_text("*.po merge=po\n")
    (tmp_path / PO).write_text(catalogue())
    git(tmp_path, "add", ".gitattributes", PO)
    git(tmp_path, "commit", "-q", "-m", "base")
    git(tmp_path, "branch", "branch")
    return tmp_path


def translations(repo):
    """{msgid: msgstr} as msgfmt reads the catalogue (it refuses a malformed one)."""
    out = subprocess.run(
        ["msgcat", "--no-wrap", "--sort-output", str(repo / PO)], capture_output=True, text=True, check=True
    ).stdout
    return {
        block.split("\n")[0]: "\n".join(line for line in block.split("\n")[1:] if not line.startswith("#"))
        for block in out.strip("\n").split("\n\n")
        if block.startswith("msgid")
    }


def test_the_script_says_how_to_enable_it_as_the_test_does():
    assert "git config merge.po.driver 'scripts/merge-po %A %B %O'" in SCRIPT.read_text()


def test_a_rebased_branch_keeps_the_translation_it_changed_and_main_keeps_its_own(repo):
    commit(repo, catalogue(date="2026-11-30 11:00+0100", Goodbye='msgstr "À bientôt"'), "main: Goodbye")
    git(repo, "checkout", "-q", "branch")
    commit(repo, catalogue(date="2026-11-30 12:00+0100", Hello='msgstr "Salut"'), "branch: Hello")
    assert git(repo, "rebase", "main", check=False).returncode == 0
    found = translations(repo)
    assert found['msgid "Hello"'] == 'msgstr "Salut"'
    assert found['msgid "Goodbye"'] == 'msgstr "À bientôt"'
    assert found['msgid "Closed for the season"'] == 'msgstr "Fermé pour la saison, revenez au printemps"'
    assert "11:00" in (repo / PO).read_text()  # the header is main's


def test_a_merge_keeps_each_sides_changes_and_new_entries(repo):
    commit(repo, catalogue(Goodbye='msgstr "À bientôt"', **{"Open": 'msgstr "Ouvert"'}), "main")
    git(repo, "checkout", "-q", "branch")
    changed_plural = 'msgstr[0] "%(n)s fiche vérifiée."\nmsgstr[1] "%(n)s fiches vérifiées."'
    plural = next(key for key in BASE if "msgid_plural" in key)
    commit(repo, catalogue(**{plural: changed_plural, "Map": 'msgstr "Carte"'}), "branch")
    git(repo, "checkout", "-q", "main")
    assert git(repo, "merge", "-q", "branch", "-m", "merge", check=False).returncode == 0
    found = translations(repo)
    assert found['msgid "Goodbye"'] == 'msgstr "À bientôt"'
    assert found[f"msgid {plural.split(chr(10))[0]}"].endswith(changed_plural)
    assert found['msgid "Open"'] == 'msgstr "Ouvert"'
    assert found['msgid "Map"'] == 'msgstr "Carte"'
    assert found['msgid "Hello"'] == 'msgstr "Bonjour"'


def test_a_translation_both_sides_changed_is_a_conflict_showing_both(repo):
    commit(repo, catalogue(Hello='msgstr "Coucou"'), "main: Hello")
    git(repo, "checkout", "-q", "branch")
    commit(repo, catalogue(Hello='msgstr "Salut"', Goodbye='msgstr "À plus"'), "branch: Hello")
    rebase = git(repo, "rebase", "main", check=False)
    assert rebase.returncode != 0
    assert "CONFLICT" in rebase.stdout + rebase.stderr
    text = (repo / PO).read_text()
    entry = next(block for block in text.split("\n\n") if 'msgid "Hello"' in block)
    assert "#, fuzzy" in entry  # what tests/test_catalogues.py refuses
    assert 'msgstr "Coucou"' in entry
    assert '# msgstr "Salut"' in entry
    assert translations(repo)['msgid "Goodbye"'] == 'msgstr "À plus"'
