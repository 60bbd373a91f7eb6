"""A record's topic: the project, employer or place its description (else its address) names.

Cases naming the same topic in one category form a group (hotspot, :mod:`warehouse.pool.groups`). The
patterns are settings (``topics`` in ``survivorship.yaml``); this module only folds the text and applies
them, once per record at staging, so publishing never re-reads descriptions.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from chinese_text import to_simplified
from warehouse.derive.survivorship import TopicRules, load_survivorship


def fold(text: str) -> str:
    """NFKC (full-width digits), simplified characters, no whitespace.

    Each step runs only when the text needs it: canonical records are NFKC already and mostly
    simplified, and the checks cost a fraction of the conversions they skip.
    """
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = to_simplified(text)
    return "".join(text.split())


def topic_of(
    content: str | None, address: str | None, rules: TopicRules | None = None
) -> tuple[str, int] | None:
    """The topic a record names and its rank (smaller is more specific), or ``None``.

    Args:
        content: the description.
        address: the address, used only when the description names nothing.
        rules: the topic settings (default: the packaged ones).

    Returns:
        ``(name, rank)`` of the first pattern that yields a name that is not a stopword.
    """
    rules = rules or load_survivorship().topics
    for text, patterns in ((content, rules.content), (address, rules.address)):
        if not text:
            continue
        folded = fold(text)
        for entry in patterns:
            for match in entry.pattern.finditer(folded):
                name = rules.strip_suffix.sub("", rules.strip_prefix.sub("", match.group(1)))
                if len(name) >= 2 and name not in rules.stopwords:
                    return name, entry.rank
    return None


def add_topics(rows: Iterable[dict[str, object]], categories: Iterable[str] | None = None) -> None:
    """Set ``topic`` and ``topic_rank`` on canonical records, in place.

    Args:
        rows: canonical records.
        categories: categories that form groups (default: the settings'); other records get no topic,
            which keeps staging fast for the categories where a topic means nothing.
    """
    settings = load_survivorship()
    wanted = frozenset(categories if categories is not None else settings.groups.categories)
    rules = settings.topics
    # Reports of one dispute often repeat its description and address: each pair is parsed once.
    found: dict[tuple[object, object], tuple[str | None, int | None]] = {}
    none = (None, None)
    for row in rows:
        if row.get("category") not in wanted:
            row["topic"], row["topic_rank"] = none
            continue
        text = (row.get("content"), row.get("address"))
        topic = found.get(text)
        if topic is None:
            content, address = text
            topic = found[text] = (
                topic_of(str(content) if content else None, str(address) if address else None, rules) or none
            )
        row["topic"], row["topic_rank"] = topic
