"""The README and docs/ stay short and whole: every relative link and anchor resolves, every page is in the nav."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
README_MAX_CHARS = 12_500
PAGES = sorted([ROOT / "README.md", ROOT / "matching" / "README.md", *DOCS.glob("*.md")])

FENCE = re.compile(r"^\s*(```|~~~)")
CODE_SPAN = re.compile(r"`+[^`]*`+")
INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_LINK = re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")

pytestmark = pytest.mark.unit


def _prose_lines(text: str) -> list[str]:
    """The lines outside fenced code blocks, with inline code spans removed (links there are examples)."""
    lines, fenced = [], False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            lines.append(line)
    return lines


def slugify(heading: str) -> str:
    """The anchor MkDocs (Python-Markdown's toc) gives a heading; GitHub gives the same for ASCII headings.

    Args:
        heading: the heading's Markdown text.

    Returns:
        The anchor, without ``#``.
    """
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "").replace("*", "")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def anchors(page: Path) -> set[str]:
    """Every heading anchor of a Markdown page."""
    found = set()
    for line in _prose_lines(page.read_text(encoding="utf-8")):
        match = HEADING.match(line)
        if match:
            found.add(slugify(match.group(2)))
    return found


def links(page: Path) -> list[str]:
    """Every link target of a Markdown page outside code: inline ``[text](target)`` and reference links."""
    targets = []
    for line in _prose_lines(page.read_text(encoding="utf-8")):
        prose = CODE_SPAN.sub("", line)
        targets += INLINE_LINK.findall(prose)
        reference = REFERENCE_LINK.match(prose)
        if reference:
            targets.append(reference.group(1))
    return targets


def broken_links(page: Path, root: Path = ROOT) -> list[str]:
    """The relative links of ``page`` whose file or anchor does not exist, each with the reason.

    Args:
        page: the Markdown page.
        root: what the reasons' paths are relative to.
    """
    broken = []
    for target in links(page):
        if SCHEME.match(target):
            continue  # http(s), mailto: not checked here (no network)
        path_part, _, anchor = target.partition("#")
        destination = (page.parent / path_part).resolve() if path_part else page
        if not destination.exists():
            broken.append(f"{target}: no file {destination.relative_to(root)}")
        elif anchor and destination.suffix == ".md" and anchor not in anchors(destination):
            broken.append(f"{target}: no heading #{anchor} in {destination.relative_to(root)}")
    return broken


def test_readme_is_short() -> None:
    length = len((ROOT / "README.md").read_text(encoding="utf-8"))
    assert length <= README_MAX_CHARS, f"README.md has {length} characters; move detail to docs/"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page: Path) -> None:
    assert broken_links(page) == []


def test_the_readme_links_every_docs_page() -> None:
    linked = {(ROOT / target.partition("#")[0]).resolve() for target in links(ROOT / "README.md")}
    assert {p.resolve() for p in DOCS.glob("*.md")} - linked == set()


def test_every_docs_page_is_in_the_nav_and_every_nav_entry_exists() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    nav = {next(iter(entry.values())) for entry in config["nav"]}
    pages = {p.name for p in DOCS.glob("*.md")}
    assert pages - nav == set(), "pages missing from the nav of mkdocs.yml"
    assert nav - pages == set(), "nav entries of mkdocs.yml without their file in docs/"


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("The native stack (`make stack`)", "the-native-stack-make-stack"),
        ("Results (simulator, pairwise)", "results-simulator-pairwise"),
        ("三色三单 rules", "rules"),
        ("v_audit_batch", "v_audit_batch"),
        ("Where to go next", "where-to-go-next"),
    ],
)
def test_slugify_matches_the_site(heading: str, anchor: str) -> None:
    assert slugify(heading) == anchor


@pytest.mark.parametrize(
    ("text", "broken"),
    [
        ("[ok](index.md#the-flow)", []),
        ("[file](missing.md)", ["missing.md: no file docs/missing.md"]),
        ("[anchor](index.md#nowhere)", ["index.md#nowhere: no heading #nowhere in docs/index.md"]),
        ("`[in code](missing.md)`", []),
        ("```\n[fenced](missing.md)\n```", []),
        ("[web](https://example.org/missing.md)", []),
        ("[ref]: missing.md", ["missing.md: no file docs/missing.md"]),
    ],
)
def test_the_checker_finds_broken_links(tmp_path: Path, text: str, broken: list[str]) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Overview\n\n## The flow\n", encoding="utf-8")
    page = tmp_path / "docs" / "probe.md"
    page.write_text(text + "\n", encoding="utf-8")
    assert broken_links(page, root=tmp_path) == broken
