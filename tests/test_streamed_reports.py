"""JSON and SARIF reports are written in pieces as they are encoded: the same bytes, without the report-sized
string (bench/speed.py, section 2, measures the memory)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import SAMPLES
from tqcheck.batch import check_paths
from tqcheck.config import Config
from tqcheck.reports import FORMATS, render, render_pieces
from tqcheck.reports.json import PIECE_CHARS, dumps, dumps_pieces, report_to_dict
from tqcheck.reports.sarif import report_to_sarif


@pytest.fixture(scope="module")
def report():
    return check_paths(sorted(SAMPLES.glob("*.txt")), Config())


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_pieces_join_to_the_rendered_report(report, fmt):
    pieces = list(render_pieces(report, fmt))
    assert "".join(pieces) == render(report, fmt)
    if fmt in ("json", "sarif"):
        assert len(pieces) > 2  # really streamed: the sample batch is several pieces long
        assert all(len(p) < 2 * PIECE_CHARS for p in pieces)


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(alphabet=st.characters()),
                    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner), max_leaves=40))
def test_dumps_pieces_is_dumps_for_any_value_even_lone_surrogates(value):
    assert "".join(dumps_pieces(value, indent=2)) == dumps(value, indent=2)


def test_a_lone_surrogate_is_escaped_in_every_piece():
    value = {"text": ["\udc80" + "x" * PIECE_CHARS] * 3}
    joined = "".join(dumps_pieces(value, indent=2))
    joined.encode("utf-8")  # encodable: no raw surrogate left
    assert json.loads(joined) == value


@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize("width", [60, 200])
def test_text_pieces_join_to_the_rendered_report_and_end_at_line_ends(tmp_path, color, width):
    """The text report in pieces (the CLI writes them as they come): the same text, in colour and without, and a
    long report really is several pieces, each ending where a line ends."""
    from tqcheck.reports.text import render_pieces as text_pieces

    article = (SAMPLES / "wechat-ecommerce.zh-de.mt.txt").read_text(encoding="utf-8")
    path = tmp_path / "long.de.txt"
    path.write_text((article + "\n\n") * 4, encoding="utf-8")
    report = check_paths([path, SAMPLES / "live-commerce.zh-de.mt.txt"], Config())
    pieces = list(render_pieces(report, "text", color=color, width=width))
    assert pieces == list(text_pieces(report, color=color, width=width))
    assert "".join(pieces) == render(report, "text", color=color, width=width)
    assert len(pieces) > 2 and all(p.endswith("\n") for p in pieces)
    assert ("\x1b[" in pieces[0]) == color


def test_the_json_report_converts_its_long_lists_as_it_writes_them_into_the_same_bytes(report):
    assert render(report, "json") == dumps(report_to_dict(report), indent=2) + "\n"
    streamed = report_to_dict(report, streamed=True)["documents"]
    assert len(streamed) == len(report.documents) and list.__len__(streamed) == 0  # no document held as a dict


def test_the_sarif_log_makes_its_results_as_it_writes_them_into_the_same_bytes(report):
    assert render(report, "sarif") == dumps(report_to_sarif(report), indent=2) + "\n"
    results = report_to_sarif(report, streamed=True)["runs"][0]["results"]
    assert len(results) == len(report_to_sarif(report)["runs"][0]["results"]) > 0 and list.__len__(results) == 0
