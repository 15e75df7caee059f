"""The project's documents stay true to the tree: every file or folder they name in
backticks exists (docs/, the READMEs), and the README points to docs/."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = sorted([*ROOT.glob("docs/*.md"), ROOT / "README.md", ROOT / "contract" / "README.md",
                    ROOT / "pwa" / "README.md", ROOT / "deploy" / "README.md"])
# `server/api/errors.py`, `contract/`, `pwa/src/ui/routes.js`: a path of the project.
TOP = ("contract", "sync", "server", "pwa", "tests", "deploy", "docs", ".ci")
NAMED_PATH = re.compile(r"`((?:" + "|".join(re.escape(t) for t in TOP) + r")/[^`\s*<>…]*)`")


def named_paths(document: Path) -> set[str]:
    return set(NAMED_PATH.findall(document.read_text(encoding="utf-8")))


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: str(d.relative_to(ROOT)))
def test_every_path_a_document_names_exists(document):
    # pwa/README.md names the app's modules from pwa/ or pwa/src/.
    bases = [ROOT, ROOT / "pwa", ROOT / "pwa" / "src"] if document.parent.name == "pwa" else [ROOT]
    missing = [p for p in named_paths(document)
               if not any((base / p.rstrip("/")).exists() for base in bases)]
    assert missing == []


def test_the_architecture_names_a_place_for_each_kind_of_change():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for change in ("a mutation", "a screen", "a dashboard, a report", "a role rule", "a setting",
                   "an HTTP endpoint", "a rule both phone and server compute", "a table or column"):
        assert f"| {change}" in text, change


def test_the_readme_points_to_the_projects_documents():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for document in ("docs/architecture.md", "docs/sync-protocol.md", "docs/operations.md"):
        assert f"`{document}`" in readme
