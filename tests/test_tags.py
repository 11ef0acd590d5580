"""Inline codes: placeholder detection, codes opaque to prose rules, the TQ8xx tag and placeholder rules, JSON."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tqcheck import Config, check
from tqcheck.batch import build_report
from tqcheck.inline import MASK, document_codes, find_placeholders, mask
from tqcheck.reports.json import render as render_json
from tqcheck.types import Document, InlineCode, Span


def tags(text: str, *pairs: tuple[str, str, str]) -> Document:
    """A unit text with reader markers: each ``(marker, kind, id)`` is located in order of appearance."""
    codes, pos = [], 0
    for marker, kind, code_id in pairs:
        start = text.index(marker, pos)
        codes.append(InlineCode(Span(start, start + len(marker)), kind, id=code_id, element="g"))  # type: ignore[arg-type]
        pos = start + len(marker)
    return Document(text, codes=tuple(codes))


def run(target: Document | str, source: Document | str | None = None, *, src: str = "en", tgt: str = "de",
        select: tuple[str, ...] = ()):
    target = Document(target) if isinstance(target, str) else target
    source = Document(source) if isinstance(source, str) else source
    return check(target, source, config=Config(src_lang=src, tgt_lang=tgt, select=select))


def found(result, code: str | None = None) -> list[tuple[str, str]]:
    return [(i.code, result.target.text[i.span.start:i.span.end]) for i in result.issues
            if code is None or i.code == code]


# --- placeholder detection -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Deleted %s files", [("placeholder", "%s")]),
    ("%1$s of %2$d", [("placeholder", "%1$s"), ("placeholder", "%2$d")]),
    ("%(name)s said %5.2f %-10s %ld %@", [("placeholder", p) for p in ("%(name)s", "%5.2f", "%-10s", "%ld", "%@")]),
    ("{0} and {name} {user.name} {0:d} {}", [("placeholder", p) for p in ("{0}", "{name}", "{user.name}", "{0:d}",
                                                                         "{}")]),
    ("Hi {{ user }} and ${count}", [("placeholder", "{{ user }}"), ("placeholder", "${count}")]),
    ("Copied %1 of %2 files to %L3.", [("placeholder", "%1"), ("placeholder", "%2"), ("placeholder", "%L3")]),
    ('Click <b>Save</b><br/><br> <a href="x.html">here</a>',
     [("open", "<b>"), ("close", "</b>"), ("standalone", "<br/>"), ("standalone", "<br>"),
      ("open", '<a href="x.html">'), ("close", "</a>")]),
])
def test_placeholders_and_tags_are_found(text, expected):
    assert [(c.kind, text[c.span.start:c.span.end]) for c in find_placeholders(text)] == expected


@pytest.mark.parametrize("text", [
    "100% sure", "50 % des voix", "100%ig sicher", "a 100%s", "literal %%d", "\\frac{a}{b}", "{1, 2, 3}", "a{2}",
    "if a<b and b>c", "x < y", "<<:  ", "Enter <username>", "Rabatt von 20 %", "Kosten (in %) steigen",
    "plus 50%1 mehr", "%%1",
])
def test_prose_is_not_taken_for_placeholders(text):
    assert find_placeholders(text) == ()


def test_document_codes_merge_reader_tags_with_placeholders_outside_them():
    doc = tags("<1>Delete %s</1> <2/>{0}", ("<1>", "open", "1"), ("</1>", "close", "1"), ("<2/>", "standalone", "2"))
    # A reader code of no width (a removed <ph/>) blocks a placeholder across it as well.
    assert [doc.text[c.span.start:c.span.end] for c in document_codes(doc)] == ["<1>", "%s", "</1>", "<2/>", "{0}"]
    assert [c.id for c in document_codes(doc)] == ["1", None, "1", "2", None]


def test_mask_keeps_length_and_offsets():
    text = "Datei %s <b>weg</b>"
    masked = mask(text, find_placeholders(text))
    assert len(masked) == len(text)
    assert masked == f"Datei {MASK * 2} {MASK * 3}weg{MASK * 4}"



@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab %{}<>", max_size=30),
       st.lists(st.tuples(st.integers(0, 35), st.integers(0, 8)), max_size=5))
def test_mask_replaces_exactly_the_characters_of_the_codes(text, places):
    # Codes may overlap, be empty or run past the text's end: each character of one, and only those, is masked.
    codes = [InlineCode(Span(start, start + width), "placeholder") for start, width in places]  # type: ignore[arg-type]
    covered = {i for c in codes for i in range(c.span.start, min(c.span.end, len(text)))}
    assert mask(text, codes) == "".join(MASK if i in covered else ch for i, ch in enumerate(text))

# --- codes are opaque to prose rules -----------------------------------------------------------------------------

def test_prose_rules_are_silent_inside_and_around_tags():
    text = "This is <1>preformatted</1> text."
    doc = tags(text, ("<1>", "open", "1"), ("</1>", "close", "1"))
    assert found(run(doc, src="de", tgt="en")) == []
    # HTML and placeholders found in the text: their quotes, brackets and spacing are no prose.
    html = 'See <a href="x.html">the (full) list</a>, and {0}  <br/> more <b>the</b> the.'
    assert found(run(html, src="de", tgt="en", select=("TQ4", "TQ6"))) == []


def test_double_space_left_by_a_ph_marker_is_not_flagged():
    text = "Klicken Sie  hier, um fortzufahren."
    ph = InlineCode(Span(12, 12), "standalone", id="1", element="ph")
    assert found(run(Document(text, codes=(ph,)), select=("TQ403",))) == []
    assert found(run(Document(text), select=("TQ403",))) == [("TQ403", "  ")]
    marked = "Klicken Sie <1/>  hier, um fortzufahren."
    doc = tags(marked, ("<1/>", "standalone", "1"))
    assert found(run(doc, select=("TQ403",))) == []


def test_placeholders_are_no_numbers_or_brackets_for_prose_rules():
    result = run("Es wurden {0} Dateien aus %1$s gelöscht.", "Deleted {0} files from %1$s.")
    assert found(result) == []


# --- tag and placeholder rules -----------------------------------------------------------------------------------

def test_missing_printf_placeholder_is_reported_once_where_it_belongs():
    source = "Deleted %d files from %s."
    target = "%d Dateien wurden gelöscht."
    result = run(target, source)
    [issue] = [i for i in result.issues if i.code == "TQ806"]
    assert found(result) == [("TQ806", "gelöscht")]
    assert issue.message == "Placeholder %s of the source is missing from the target."
    assert issue.source_span == Span(22, 24)


def test_lost_brace_placeholder_is_reported_once():
    result = run("Die Datei wurde gelöscht.", "The file {0} was deleted.")
    assert [(c, i.message) for c, i in zip([c for c, _ in found(result)], result.issues, strict=True)] == [
        ("TQ806", "Placeholder {0} of the source is missing from the target.")]
    assert found(result) == [("TQ806", "wurde")]


def test_dropped_tag_pair_is_reported_once_at_the_aligned_words():
    source = tags("This is <1>preformatted</1> text.", ("<1>", "open", "1"), ("</1>", "close", "1"))
    result = run(Document("Das ist vorformatierter Text."), source)
    assert found(result) == [("TQ801", "vorformatierter")]
    [issue] = result.issues
    assert issue.message == "Tag <1>…</1> of the source is missing from the target."
    assert issue.source_span == Span(8, 27)


def test_reordered_positional_placeholders_are_fine_but_unnumbered_ones_are_not():
    assert found(run("Aus %2$s wurden %1$d Dateien gelöscht.", "Deleted %1$d files from %2$s.")) == []
    assert found(run("{1} hat {0} gelöscht.", "{0} was deleted by {1}.")) == []
    assert found(run("%2 hat %1 gelöscht.", "%1 was deleted by %2.")) == []  # Qt arguments are numbered
    result = run("Aus %s wurden %d Dateien gelöscht.", "Deleted %d files from %s.")
    assert found(result) == [("TQ808", "%s")]


def test_changed_and_added_placeholders():
    assert found(run("%d Dateien gelöscht.", "%s files deleted.")) == [("TQ808", "%d")]
    assert found(run("Datei {1} gelöscht.", "File {0} deleted.")) == [("TQ808", "{1}")]
    assert found(run("Datei %s gelöscht.", "File deleted.")) == [("TQ807", "%s")]


def test_added_duplicated_and_broken_tags():
    source = tags("Click <1>Save</1> now.", ("<1>", "open", "1"), ("</1>", "close", "1"))
    added = tags("Klicken Sie <1>jetzt</1> auf <2>Speichern</2>.", ("<1>", "open", "1"), ("</1>", "close", "1"),
                 ("<2>", "open", "2"), ("</2>", "close", "2"))
    assert found(run(added, source)) == [("TQ802", "<2>")]
    doubled = tags("Klicken Sie <1>jetzt</1> auf <1>Speichern</1>.", ("<1>", "open", "1"), ("</1>", "close", "1"),
                   ("<1>", "open", "1"), ("</1>", "close", "1"))
    assert found(run(doubled, source)) == [("TQ803", "<1>")]
    unclosed = tags("Klicken Sie jetzt auf <1>Speichern.", ("<1>", "open", "1"))
    assert found(run(unclosed, source)) == [("TQ804", "<1>")]
    crossed = Document("Klicken Sie <b><i>jetzt</b></i>.")
    assert found(run(crossed, "Click <b><i>now</i></b>.")) == [("TQ804", "<i>")]


def test_whitespace_that_joins_words_around_a_tag():
    source = tags("Click <1>Save</1> now.", ("<1>", "open", "1"), ("</1>", "close", "1"))
    joined = tags("Klicken Sie jetzt auf<1>Speichern</1>.", ("<1>", "open", "1"), ("</1>", "close", "1"))
    assert found(run(joined, source)) == [("TQ809", "<1>")]


def test_tag_rules_on_a_text_without_codes_stay_silent():
    assert found(run("Das ist ein Text.", "This is a text.", select=("TQ8",))) == []


# --- JSON ------------------------------------------------------------------------------------------------------

def test_json_report_lists_target_and_source_codes():
    config = Config(src_lang="en", tgt_lang="de")
    source = tags("Click <1>Save</1> %s.", ("<1>", "open", "1"), ("</1>", "close", "1"))
    result = check(Document("Klicken Sie auf Speichern."), source, config=config)
    doc = json.loads(render_json(build_report([result], config)))["documents"][0]
    assert doc["codes"] == []
    assert doc["source_codes"] == [
        {"start": 6, "end": 9, "kind": "open", "id": "1", "element": "g", "native": None},
        {"start": 13, "end": 17, "kind": "close", "id": "1", "element": "g", "native": None},
        {"start": 18, "end": 20, "kind": "placeholder", "id": None, "element": None, "native": "%s"},
    ]
    assert {i["code"] for i in doc["issues"]} == {"TQ801", "TQ806"}
