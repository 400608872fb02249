"""The project stands alone: code cites its own docs, and every cited section exists."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ["bookings", "reminders", "scheduler", "config", "benchmarks", "templates", "tests"]
CITATION = re.compile(r"docs/([a-z_]+\.md)(?:#([a-z0-9-]+))?")


def _files() -> list[Path]:
    return [
        path
        for folder in SOURCES
        for path in (ROOT / folder).rglob("*")
        if path.suffix in {".py", ".html", ".txt"} and path.is_file()
    ]


def anchors(markdown: str) -> set[str]:
    """GitHub-style anchors of the headings: lower case, spaces to dashes."""
    return {
        re.sub(r"[^a-z0-9 -]", "", title.strip().lower()).replace(" ", "-")
        for title in re.findall(r"^#+ (.+)$", markdown, flags=re.M)
    }


def test_no_file_cites_a_document_outside_the_repo() -> None:
    # Spelt in two parts so this file does not find itself.
    outside = "SP" + "EC §"
    assert [str(p.relative_to(ROOT)) for p in _files() if outside in p.read_text()] == []


def test_every_cited_doc_and_section_exists() -> None:
    missing = []
    for path in _files():
        for doc, anchor in CITATION.findall(path.read_text()):
            target = ROOT / "docs" / doc
            if not target.exists() or (anchor and anchor not in anchors(target.read_text())):
                missing.append(f"{path.relative_to(ROOT)} cites docs/{doc}#{anchor}")
    assert missing == []


def test_the_anchor_rule_matches_headings() -> None:
    assert anchors("# The clinic's rules\n## Pathway\n") == {"the-clinics-rules", "pathway"}
