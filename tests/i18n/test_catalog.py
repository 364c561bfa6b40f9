"""The Spanish catalog: every text the code marks for translation is in it, translated, and none
is left fuzzy; `make messages` would add nothing."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

CATALOG = Path(settings.BASE_DIR) / "portal" / "locale" / "es" / "LC_MESSAGES" / "django.po"
APPS = ["portal", "sponsors", "apprenticeships", "competencies", "notifications"]


def _unquote(lines: list[str]) -> str:
    return "".join(re.fullmatch(r'"(.*)"', line.strip())[1] for line in lines)  # type: ignore[index]


def _entry(lines: list[str]) -> dict:
    """One entry from its lines: its flags, then `keyword "text"` each followed by any
    continuation lines `"text"`."""
    entry: dict = {"flags": set(), "msgctxt": None, "msgid_plural": None, "msgstr": []}
    fields: list[tuple[str, list[str]]] = []
    for line in lines:
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            fields[-1][1].append(line)
        else:
            keyword, _space, rest = line.partition(" ")
            fields.append((keyword, [rest]))
    for keyword, values in fields:
        if keyword.startswith("msgstr"):
            entry["msgstr"].append(_unquote(values))
        else:
            entry[keyword] = _unquote(values)
    return entry


def entries(path: Path) -> list[dict]:
    """The catalog's entries: {"flags", "msgctxt", "msgid", "msgid_plural", "msgstr": [...]}, the
    header apart. A small reader of the PO format as makemessages writes it."""
    found = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.strip().splitlines() if line and not line.startswith("#~")]
        if not lines:
            continue
        entry = _entry(lines)
        if entry.get("msgid") == "" and entry["msgctxt"] is None:
            continue  # the header
        found.append(entry)
    return found


def keys(path: Path) -> set[tuple]:
    return {(entry["msgctxt"], entry["msgid"], entry["msgid_plural"]) for entry in entries(path)}


def test_every_entry_of_the_spanish_catalog_is_translated_and_none_is_fuzzy():
    catalog = entries(CATALOG)

    assert len(catalog) > 250
    untranslated = [entry["msgid"] for entry in catalog if not all(entry["msgstr"]) or not entry["msgstr"]]
    fuzzy = [entry["msgid"] for entry in catalog if "fuzzy" in entry["flags"]]
    assert untranslated == []
    assert fuzzy == []


def test_placeholders_of_each_translation_are_those_of_its_text():
    for entry in entries(CATALOG):
        wanted = sorted(re.findall(r"%\([a-z_]+\)[sdr]|\{[a-z_]+\}", entry["msgid"]))
        for text in entry["msgstr"]:
            assert sorted(re.findall(r"%\([a-z_]+\)[sdr]|\{[a-z_]+\}", text)) == wanted, (entry["msgid"], text)


def test_extracting_the_texts_anew_finds_nothing_missing_from_the_catalog(tmp_path):
    """`make messages` run on a copy of the code: the texts it extracts are exactly the
    catalog's, so nothing user-visible that is marked for translation is left out."""
    base = Path(settings.BASE_DIR)
    for app in APPS:
        shutil.copytree(base / app, tmp_path / app, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "migrations"))
    shutil.copy(base / "manage.py", tmp_path / "manage.py")
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale",
            "es",
            "--no-obsolete",
            "--add-location=file",
            "--no-wrap",
            "--settings=portal.settings.test",
        ],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    extracted = keys(tmp_path / "portal" / "locale" / "es" / "LC_MESSAGES" / "django.po")

    committed = keys(CATALOG)
    assert extracted - committed == set(), "new texts: run `make messages` and translate them"
    assert committed - extracted == set(), "texts no longer in the code: run `make messages`"
