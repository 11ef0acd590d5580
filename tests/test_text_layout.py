"""The text report's excerpts fit the width: context cut at word boundaries, the span never cut, the ``^`` markers
under exactly the span's characters in terminal columns (CJK characters take two), the unit id in the location."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests import qe_fixtures
from tests.conftest import ROOT
from tqcheck import Config, check_paths
from tqcheck.batch import build_report
from tqcheck.cli import ExitStatus, main
from tqcheck.display import cell_width
from tqcheck.pipeline import assemble_result
from tqcheck.reports import render
from tqcheck.types import Category, Document, Issue, Severity, Span

LATIN = ("Die Händler auf der Plattform berichten seit Monaten von steigenden Kosten, sinkenden Margen und "
         "einem persönlichen Bekanntenkreis, dem sie mehr vertrauen als jeder Werbung, die ihnen die Plattform "
         "anbietet.")
qe_models = qe_fixtures.qe_models  # the session fixture that builds the tiny COMET checkpoints
CJK = ("这是一个很长的中文句子，用来测试终端报告在不同宽度下的显示效果，其中直播带货这个词应该被准确标记出来，"
       "而且前后的上下文也应该在合适的位置被截断，不能让标记错位。")
MIXED = "Das ist das sogenannte 直播带货, und Statistiken zufolge wächst Live-Shopping in China jedes Jahr weiter."


def columns(text: str) -> int:
    """Terminal columns, counted independently of the implementation: East Asian wide/fullwidth take 2."""
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
               for ch in text)


def column_of(line: str, index: int) -> int:
    return columns(line[:index])


def report_for(text: str, needle: str, *, lang: str = "de", occurrence: int = 0) -> tuple[str, Span]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    span = Span(start, start + len(needle))
    doc = Document(text, lang=lang, path=Path("a.txt"))
    issue = Issue("TQ101", "literal-calque", Category.UNIDIOMATIC, Severity.MAJOR, span, "A message.")
    return build_report([assemble_result(Config(), doc, [issue])], Config()), span


def excerpt_and_markers(out: str) -> tuple[str, str]:
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if "│ " in line and "^" in lines[i + 1])
    return lines[at], lines[at + 1]


CASES = [
    pytest.param(LATIN, "persönlichen Bekanntenkreis", "de", id="latin-middle"),
    pytest.param(LATIN, "Die Händler", "de", id="latin-start"),
    pytest.param(LATIN, "anbietet", "de", id="latin-end"),
    pytest.param(CJK, "直播带货", "zh", id="cjk"),
    pytest.param(MIXED, "直播带货", "de", id="cjk-in-latin"),
    pytest.param(MIXED, "Statistiken", "de", id="latin-after-cjk"),
]


@pytest.mark.parametrize("width", [60, 80, 200])
@pytest.mark.parametrize(("text", "needle", "lang"), CASES)
def test_excerpt_fits_the_width_and_markers_stand_under_the_span(width, text, needle, lang):
    """Every line fits; the excerpt holds the span whole; the first ``^`` is at the span's display column and
    there are as many ``^`` as the span takes columns."""
    report, _ = report_for(text, needle, lang=lang)
    out = render(report, "text", width=width)
    issue_block = out.split("\n\n")[1]
    assert all(columns(line) <= width for line in issue_block.splitlines()), issue_block
    excerpt, markers = excerpt_and_markers(out)
    at = excerpt.index(needle)
    assert column_of(markers, markers.index("^")) == column_of(excerpt, at)
    assert markers.count("^") == columns(needle) and markers.rstrip().endswith("^")
    assert set(markers[markers.index("│") + 1:].strip()) == {"^"}


@pytest.mark.parametrize("width", [60, 80, 200])
def test_context_is_cut_only_between_words(width):
    """Whatever is shown of the context is whole words of the line, and a cut is marked with an ellipsis."""
    report, _ = report_for(LATIN, "persönlichen Bekanntenkreis")
    excerpt, _ = excerpt_and_markers(render(report, "text", width=width))
    shown = excerpt.split("│ ", 1)[1]
    inner = shown.strip("…")
    at = LATIN.index(inner)  # one piece of the line, from the start of a word to the end of one
    assert at == 0 or LATIN[at - 1] == " "
    assert at + len(inner) == len(LATIN) or not LATIN[at + len(inner)].isalpha()
    assert shown.startswith("…") == (at > 0) and shown.endswith("…") == (at + len(inner) < len(LATIN))
    assert (at > 0 or at + len(inner) < len(LATIN)) == (width < columns(LATIN) + 12)


def test_wide_context_is_shown_whole_at_200_columns():
    report, _ = report_for(MIXED, "直播带货")
    excerpt, markers = excerpt_and_markers(render(report, "text", width=200))
    assert excerpt.endswith("│ " + MIXED)
    assert column_of(markers, markers.index("^")) == column_of(excerpt, excerpt.index("直播带货"))
    assert markers.count("^") == 8  # four wide characters


@pytest.mark.parametrize("width", [60, 80])
def test_a_span_wider_than_the_line_is_shown_whole_over_rows_with_markers_under_each(width):
    """The span is never shortened: its rows together hold every character, each row marked in full."""
    needle = LATIN[LATIN.index("seit"):LATIN.index("Werbung") + len("Werbung")]
    report, _ = report_for(LATIN, needle)
    lines = render(report, "text", width=width).splitlines()
    rows = [(line, lines[i + 1]) for i, line in enumerate(lines) if "│ " in line and "^" in lines[i + 1]]
    assert len(rows) > 1
    assert "".join(line.split("│ ", 1)[1] for line, _ in rows) == needle
    for line, markers in rows:
        assert columns(line) <= width
        body = line.split("│ ", 1)[1]
        assert markers.split("│ ", 1)[1] == "^" * columns(body)
    # rows end after a space or the span's end, never inside a word
    for line, _ in rows[:-1]:
        assert line.endswith(" ")


def test_cjk_span_wider_than_the_line_wraps_between_characters():
    needle = CJK[:40]
    report, _ = report_for(CJK, needle, lang="zh")
    lines = render(report, "text", width=60).splitlines()
    rows = [(line, lines[i + 1]) for i, line in enumerate(lines) if "│ " in line and "^" in lines[i + 1]]
    assert "".join(line.split("│ ", 1)[1] for line, _ in rows) == needle
    for line, markers in rows:
        assert columns(line) <= 60
        assert columns(markers.split("│ ", 1)[1]) == columns(line.split("│ ", 1)[1])


def test_tabs_and_controls_are_shown_escaped_and_markers_stay_aligned():
    text = "Spalte\teins\x07 und dann das Wort Händler im Satz."
    report, _ = report_for(text, "Händler")
    excerpt, markers = excerpt_and_markers(render(report, "text", width=80))
    assert "Spalte\\teins\\x07" in excerpt and "\t" not in excerpt
    assert column_of(markers, markers.index("^")) == column_of(excerpt, excerpt.index("Händler"))


def test_combining_marks_take_no_column_and_are_never_cut_from_their_letter():
    text = "Der Cafe\u0301 am Ende der Straße verkauft Kaffe\u0301 an jeden, der vorbeikommt und bleibt."
    report, _ = report_for(text, "Straße")
    excerpt, markers = excerpt_and_markers(render(report, "text", width=60))
    assert column_of(markers, markers.index("^")) == column_of(excerpt, excerpt.index("Straße"))
    assert "e\u0301" in excerpt or "Cafe" not in excerpt


def test_messages_and_advice_wrap_to_the_width():
    text = "Ein Satz mit einem Fehler."
    doc = Document(text, lang="de", path=Path("a.txt"))
    issue = Issue("TQ101", "literal-calque", Category.UNIDIOMATIC, Severity.MAJOR, Span(4, 8),
                  "A long message " * 12, suggestion="Some long advice " * 10, replacements=("Absatz",))
    out = render(build_report([assemble_result(Config(), doc, [issue])], Config()), "text", width=60)
    block = out.split("\n\n")[1].splitlines()
    assert all(columns(line) <= 60 for line in block)
    assert any(line.startswith("          replace with: «Absatz»") for line in block)
    assert any(line.startswith("          advice: Some long advice") for line in block)


def test_bilingual_file_location_names_the_unit():
    """An issue of a unit of an XLIFF file names the unit beside the file line and column."""
    report = check_paths([ROOT / "tests" / "data" / "cat" / "article.xlf"], Config(states=("all",)))
    out = render(report, "text", width=120)
    headers = [line for line in out.splitlines() if line.startswith((" MAJOR", " MINOR", " CRITICAL", " INFO"))
               or "(unit " in line]
    units = [unit.target.unit for unit in report.results[0].units if unit.issues]
    assert units and headers
    for unit in units:
        assert any(f"(unit {unit})" in line for line in headers), (unit, headers)


def test_cli_width_option_lays_out_for_that_width(tmp_path, capsys):
    path = tmp_path / "a.en.txt"
    path.write_text("Sales on the the platform doubled, and everybody was very happy about it, even the people "
                    "who had never believed it could happen at all.\n", encoding="utf-8")
    main(["check", str(path), "--tgt-lang", "en", "--no-config", "-q", "--select", "TQ601", "--width", "60"])
    out = capsys.readouterr().out
    notes, issue, *_ = out.split("\n\n")
    issue_lines = issue.splitlines()
    # A long location goes on its own line, the file name broken after a "/" where it is wider than the row.
    assert "TQ601" in issue_lines[0] and str(path) in "".join(line.strip() for line in issue_lines[1:3])
    assert all(columns(line) <= 60 for line in notes.splitlines() + issue_lines)
    assert main(["check", str(path), "--no-config", "--width", "20"]) == ExitStatus.USAGE_OR_INPUT_ERROR
    assert "--width" in capsys.readouterr().err


@pytest.mark.parametrize("length", [2_000, 200_000])
def test_a_very_long_span_keeps_its_first_and_last_rows_and_counts_what_it_leaves_out(length):
    """Past four rows the span shows its first two rows and its last, and says how many characters are between."""
    words = ("Wort " * (length // 5)).rstrip()
    text = f"Davor {words} danach."
    report, _ = report_for(text, words)
    lines = render(report, "text", width=60).splitlines()
    rows = [line for i, line in enumerate(lines) if "│ " in line and i + 1 < len(lines) and "^" in lines[i + 1]]
    [note] = [line for line in lines if "more characters of the span" in line]
    assert len(rows) == 3 and all(columns(line) <= 60 for line in [*rows, note])
    shown = [line.split("│ ", 1)[1] for line in rows]
    left_out = int(note.split("… ", 1)[1].split(" ", 1)[0])
    assert sum(len(s) for s in shown) + left_out == len(words)
    assert words.startswith(shown[0] + shown[1]) and words.endswith(shown[2])


@pytest.mark.parametrize("width", [60, 80])
def test_score_and_route_lines_wrap_between_their_parts(width):
    """The score, scorecard and route lines break between their "·" parts (a part wider than the line between
    its words), continuations indented; joined again they are the one-line form, word for word."""
    report = check_paths([ROOT / "samples" / "live-commerce.zh-de.mt.txt"],
                         source=ROOT / "samples" / "live-commerce.zh.txt")
    wide = render(report, "text", width=200).split("\n  score ", 1)[1].split("\n\nsignature")[0]
    narrow = render(report, "text", width=width).split("\n  score ", 1)[1].split("\n\nsignature")[0]
    lines = narrow.splitlines()
    assert all(columns(line) <= width for line in lines), narrow
    assert len(lines) > len(wide.splitlines())

    def words(text: str) -> list[str]:
        return [w for w in text.split() if w != "·"]

    assert words(narrow) == words(wide)


@given(st.text(alphabet=st.characters(max_codepoint=0x3000), max_size=40))
def test_cell_width_counts_each_character_as_it_is_printed(text):
    """Latin text takes the fast path (one column a character, a soft hyphen none); it counts what the
    per-character rule counts: wide and fullwidth two, combining marks and format characters none."""
    expected = sum(0 if unicodedata.category(ch) in ("Mn", "Me", "Cf")
                   else 2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    assert cell_width(text) == expected
    assert cell_width("Stra\u00adße") == 6 and cell_width("Café") == 4 and cell_width("直播") == 4


@pytest.mark.parametrize("width", [60, 200])
def test_colours_are_the_codes_rich_prints_for_the_same_styled_lines(width):
    """The report is written without rich's Text and Console (they held the whole report at once); each styled
    piece gets exactly the ANSI codes rich prints for that text and style, newlines never styled."""
    import io

    from rich.console import Console
    from rich.text import Text

    from tqcheck.reports import text as text_report

    report = check_paths([ROOT / "samples" / "live-commerce.zh-de.mt.txt", ROOT / "tests" / "data" / "cat" /
                          "article.sdlxliff"], Config(states=("all",)))
    blocks = list(text_report._blocks(report, "severity", width, True))
    assert len(blocks) > 5
    for block in blocks:
        rows = [row for line in text_report._lines(block.chunks) for row in text_report._fit_line(line, width)]
        reference = Text()
        for n, row in enumerate(rows):
            reference.append("\n" if n else "")
            for piece, style in row:
                reference.append(piece, style=style)
        buffer = io.StringIO()
        Console(file=buffer, force_terminal=True, color_system="standard", width=10_000, soft_wrap=True,
                highlight=False, emoji=False, markup=False).print(reference, end="")
        assert text_report._finish(block, width, color=True) == buffer.getvalue()
        assert text_report._finish(block, width, color=False) == reference.plain


@pytest.fixture(scope="module")
def layout_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The samples (with their sources), a bilingual file, and a batch with an unreadable file, a file name too
    long for a row and [[suppress]] entries (with a reason too long for a row)."""
    import shutil

    from tqcheck.configfile import resolve_settings

    samples = ROOT / "samples"
    folder = tmp_path_factory.mktemp("layout") / "articles"
    folder.mkdir()
    for path in [*samples.glob("*.txt"), ROOT / "tests" / "data" / "cat" / "article.sdlxliff"]:
        shutil.copy(path, folder / path.name)
    (folder / "broken.de.txt").write_bytes(b"\xff\xfe\x00\x00garbage\x00\x01")
    (folder / ("a-file-name-far-too-long-for-any-row-of-the-report-at-sixty-or-eighty-columns" + ".de.txt")
     ).write_text("Ein kurzer Text.\n", encoding="utf-8")
    (folder / "tqcheck.toml").write_text(
        '[[suppress]]\nrule = "TQ701"\nreason = "source typo in the Chinese original, confirmed with the author on '
        'the phone"\n[[suppress]]\nrule = "TQ301"\nreason = "house style"\n', encoding="utf-8")
    return {
        "wechat": check_paths([samples / "wechat-ecommerce.zh-de.mt.txt"], source=samples / "wechat-ecommerce.zh.txt"),
        "live": check_paths([samples / "live-commerce.zh-de.mt.txt"], source=samples / "live-commerce.zh.txt"),
        "mini": check_paths([samples / "mini-programme.de.txt"], source=samples / "mini-programme.zh.txt"),
        "douyin": check_paths([samples / "douyin-live-commerce.zh-en.mt.txt"]),
        "sdlxliff": check_paths([ROOT / "tests" / "data" / "cat" / "article.sdlxliff"], Config(states=("all",))),
        "batch": check_paths([folder], resolve_settings(folder).config),
    }


@pytest.mark.parametrize("width", [60, 80, 200])
@pytest.mark.parametrize("name", ["wechat", "live", "mini", "douyin", "sdlxliff", "batch"])
def test_every_line_of_the_report_fits_the_width(layout_reports, name, width):
    """Every line fits, headings, gate, routing, summary, suppressions and signature included; the only line that
    may be wider is one token that has no space, ``/``, ``|`` or ``,`` to break after (the long file name)."""
    report = layout_reports[name]
    out = render(report, "text", width=width)
    wide = [line.strip() for line in out.splitlines() if columns(line) > width]
    for token in wide:
        assert " " not in token and not any(ch in token[:-1] for ch in "/|,"), token
    assert (name == "batch" and width < 200) == bool(wide), wide
    if name == "batch":
        assert "[[suppress]]" in out and "error: " in out and "broken.de.txt" in out
        short = render(report, "text", width=width, errors=False)  # as the CLI writes stdout: errors on stderr
        assert all(columns(line) <= width or line.strip() in wide for line in short.splitlines())


def test_a_long_signature_and_path_break_only_after_separators():
    """The run signature breaks after ``|`` (or ``,``), a path after ``/``: joined again, they are whole."""
    report = check_paths([ROOT / "samples" / "live-commerce.zh-de.mt.txt"],
                         source=ROOT / "samples" / "live-commerce.zh.txt")
    lines = render(report, "text", width=60).splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("signature: "))
    rows = lines[at:]
    assert len(rows) > 1 and all(columns(row) <= 60 for row in rows)
    assert all(row.rstrip()[-1] in "|," for row in rows[:-1])
    assert "".join(row.strip() if n else row for n, row in enumerate(rows)) == f"signature: {report.signature}"


@pytest.mark.qe
@pytest.mark.parametrize("width", [60, 80])
def test_the_qe_line_and_qe_issues_fit_the_width(qe_models, width):
    """With QE (the tiny kiwi checkpoint), the QE summary line (model and licence) and TQ901's blocks fit too."""
    from tqcheck.qe import QEConfig

    report = check_paths([ROOT / "samples" / "live-commerce.zh-de.mt.txt"],
                         Config(qe=QEConfig(model=str(qe_models.kiwi), offline=True, device="cpu", use_cache=False)),
                         source=ROOT / "samples" / "live-commerce.zh.txt")
    out = render(report, "text", width=width)
    assert "\n  QE " in out and "TQ901" in out
    assert all(columns(line) <= width for line in out.splitlines()), out


@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize("width", [40, 60, 200])
def test_a_text_report_with_its_signature_wrapped_is_still_recognised_as_a_report(tmp_path, color, width):
    """A folder walk skips tqcheck's own reports by their signature line: wrapped to the width, it still is one."""
    from tqcheck.readers.reports import is_report_file

    report = check_paths([ROOT / "samples" / "live-commerce.zh-de.mt.txt"])
    path = tmp_path / "report.txt"
    path.write_text(render(report, "text", width=width, color=color), encoding="utf-8")
    assert is_report_file(path)
    path.write_text(render(report, "text", width=width, color=color).replace("signature:", "signatur:"),
                    encoding="utf-8")
    assert not is_report_file(path)
