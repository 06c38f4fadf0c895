"""The market position statement's rules: Markdown made safe, live block lines, freezing a version, comparing two.

An officer writes each section in Markdown. A line holding only a block's key in double square brackets
(`[[supply]]`) shows that block's live figures there. Text is rendered with `markdown` then sanitised with `nh3`
(only headings, paragraphs, lists, emphasis, quotes and links survive), and given the GOV.UK classes. Publishing
stores each section's parts: the HTML of its text and each block's figures as they were that day, so a version
never changes.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from decimal import Decimal

import markdown
import nh3
from django.utils.html import escape
from django.utils.translation import gettext as _

from carenetwork.core.registry import BlockFigures, statement_blocks

BLOCK_LINE = re.compile(r"^[ \t]*\[\[[ \t]*([A-Za-z0-9_-]+)[ \t]*\]\][ \t]*$", re.MULTILINE)
ALLOWED_TAGS = {"p", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "blockquote", "br"}
# Every heading is demoted before sanitising (the statement's section headings are h2): # and ## become h3, the rest h4.
HEADING = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)
CLASSES = {
    "p": {"class": "govuk-body"},
    "ul": {"class": "govuk-list govuk-list--bullet"},
    "ol": {"class": "govuk-list govuk-list--number"},
    "blockquote": {"class": "govuk-inset-text"},
    "a": {"class": "govuk-link"},
    "h3": {"class": "govuk-heading-m"},
    "h4": {"class": "govuk-heading-s"},
}

# The toolkit's sections (Market Shaping Toolkit, section 1.2), for a new draft.
DEFAULT_SECTIONS = [
    (
        "Predicted demand",
        "How many older and disabled people the borough expects, year by year.\n\n[[demand]]",
    ),
    (
        "Current supply",
        "The care services in the borough now, from the directory and providers' monthly capacity returns.\n\n"
        "[[supply]]\n\n[[sustainability]]",
    ),
    (
        "What the council is doing and intends to commission",
        "What we will buy, and the gaps we most want filled.\n\n[[needed-services]]",
    ),
    ("Support for providers", "Training, workforce support and how we work with providers.\n\n[[training-offer]]"),
    (
        "How to be involved",
        "Comment on any section of this statement, register interest in a needed service, or write to us.",
    ),
]


def render_text(text: str) -> str:
    """Markdown as sanitised HTML with GOV.UK classes; the statement's own headings are h2, so the text's are h3/h4.
    Only the allowed tags survive, with no attributes but a link's href (http, https or mailto)."""
    html = markdown.markdown(normalise(text), extensions=["sane_lists"])
    html = HEADING.sub(lambda m: f"<{m.group(1)}h{3 if int(m.group(2)) <= 2 else 4}", html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}, "*": set()},
        set_tag_attribute_values=CLASSES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def normalise(text: str) -> str:
    """Line ends as \\n, whatever the browser sent (textareas send \\r\\n)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split(body: str) -> list[tuple[str, str]]:
    """A section's text as ("text", markdown) and ("block", key) pieces, in order."""
    body = normalise(body)
    pieces, start = [], 0
    for match in BLOCK_LINE.finditer(body):
        if body[start : match.start()].strip():
            pieces.append(("text", body[start : match.start()]))
        pieces.append(("block", match.group(1).lower()))
        start = match.end()
    if body[start:].strip():
        pieces.append(("text", body[start:]))
    return pieces


def unknown_blocks(body: str) -> list[str]:
    """The block keys a text names that no capability offers."""
    known = statement_blocks()
    return sorted({key for kind, key in split(body) if kind == "block" and key not in known})


def _plain(value):
    """A cell as JSON can keep it: whole decimals as integers, other decimals as floats, text as it is."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if value is None or isinstance(value, int | float | str):
        return value
    return str(value)


def freeze(figures: BlockFigures) -> dict:
    """A block's figures as plain JSON values, as a version keeps them."""
    data = dataclasses.asdict(figures)
    data["header"] = [str(h) for h in data["header"]]
    data["rows"] = [[_plain(v) for v in row] for row in data["rows"]]
    data["notes"] = [str(n) for n in data["notes"]]
    if data["hidden"] is None:
        data["hidden"] = [[False] * len(data["header"]) for _row in data["rows"]]
    # A hidden cell keeps no value: a version is public and never changes.
    data["rows"] = [
        [None if hide else value for value, hide in zip(row, hides, strict=True)]
        for row, hides in zip(data["rows"], data["hidden"], strict=True)
    ]
    return data


class BlockCache:
    """Each block built at most once while a statement is put together."""

    def __init__(self):
        self.blocks = statement_blocks()
        self.built: dict[str, dict] = {}

    def get(self, key: str) -> dict | None:
        if key not in self.blocks:
            return None
        if key not in self.built:
            self.built[key] = freeze(self.blocks[key].build())
        return self.built[key]


def parts_of(body: str, cache: BlockCache) -> list[dict]:
    """A section's parts to show or keep: {"html": …} for text, {"block": key, "figures": …} for a block (figures None
    when no capability offers it any more)."""
    parts = []
    for kind, value in split(body):
        if kind == "text":
            parts.append({"html": render_text(value)})
        else:
            parts.append({"block": value, "figures": cache.get(value)})
    return parts


# Comparing two versions ---------------------------------------------------------------------------------------------

TOKENS = re.compile(r"\S+\s*|\s+")  # each word with the space after it


def text_diff(before: str, after: str) -> str:
    """The words removed and added between two texts, as escaped HTML with <del> and <ins> (each announced)."""
    a, b = TOKENS.findall(before), TOKENS.findall(after)
    out = []
    removed, added = escape(_("removed:")), escape(_("added:"))
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f'<del><span class="govuk-visually-hidden">{removed} </span>{escape("".join(a[i1:i2]))}</del>')
        if op in ("insert", "replace"):
            out.append(f'<ins><span class="govuk-visually-hidden">{added} </span>{escape("".join(b[j1:j2]))}</ins>')
    return "".join(out)


def _cell_words(value, hide: bool) -> str:
    if hide:
        return _("not shown")
    if value is None:
        return "–"
    return f"{value:,}" if isinstance(value, int | float) else str(value)


def _row_lines(figures: dict | None) -> dict[str, str]:
    """A frozen block's rows as label → its other cells in words, hidden cells as 'not shown'. A row's label is its
    leading text cells (at most two: a sub-market is its service type and area)."""
    if not figures:
        return {}
    lines = {}
    header = figures["header"]
    for row, hides in zip(figures["rows"], figures["hidden"], strict=True):
        size = 2 if len(row) > 2 and isinstance(row[0], str) and isinstance(row[1], str) else 1
        label = " · ".join(str(v) for v in row[:size])
        cells = []
        for name, value, hide in zip(header[size:], row[size:], hides[size:], strict=True):
            cells.append(f"{name}: {_cell_words(value, hide)}")
        key = label
        n = 2
        while key in lines:  # rows sharing a first cell (service type by area) stay apart
            key = f"{label} ({n})"
            n += 1
        lines[key] = "; ".join(cells)
    return lines


@dataclasses.dataclass
class BlockChange:
    row: str
    before: str | None
    after: str | None


@dataclasses.dataclass
class SectionChange:
    heading: str
    status: str  # "added", "removed", "changed", "same"
    heading_before: str | None = None
    text: str = ""
    blocks: list[tuple[str, list[BlockChange]]] = dataclasses.field(default_factory=list)


def _blocks(parts: list[dict]) -> dict[str, dict | None]:
    return {p["block"]: p.get("figures") for p in parts if "block" in p}


def _block_changes(before: dict | None, after: dict | None) -> list[BlockChange]:
    a, b = _row_lines(before), _row_lines(after)
    changes = []
    for row in [*a, *(r for r in b if r not in a)]:
        if a.get(row) != b.get(row):
            changes.append(BlockChange(row, a.get(row), b.get(row)))
    return changes


def compare(older, newer) -> list[SectionChange]:
    """Section by section (matched by the draft section each came from): what changed from the
    older version to the newer, in its text and in each block's figures."""

    def key(section):
        return section.section_key

    old = {key(s): s for s in older.sections.all()}
    new = {key(s): s for s in newer.sections.all()}
    changes = []
    for k, section in new.items():
        before = old.get(k)
        if before is None:
            changes.append(SectionChange(section.heading, "added", text=text_diff("", section.body)))
            continue
        blocks_before, blocks_after = _blocks(before.parts), _blocks(section.parts)
        block_changes = [
            ((blocks_after.get(name) or blocks_before.get(name) or {}).get("title", name), found)
            for name in dict.fromkeys([*blocks_before, *blocks_after])
            if (found := _block_changes(blocks_before.get(name), blocks_after.get(name)))
        ]
        same = before.body == section.body and before.heading == section.heading and not block_changes
        changes.append(
            SectionChange(
                section.heading,
                "same" if same else "changed",
                heading_before=before.heading if before.heading != section.heading else None,
                text="" if before.body == section.body else text_diff(before.body, section.body),
                blocks=block_changes,
            )
        )
    for k, section in old.items():
        if k not in new:
            changes.append(SectionChange(section.heading, "removed", text=text_diff(section.body, "")))
    return changes
