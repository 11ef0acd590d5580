"""The report schema: every report the CLI writes validates, the schema is strict and documented, UTF-16 offsets."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, SAMPLES, run
from tqcheck import Config
from tqcheck.batch import build_report, iter_results
from tqcheck.cli import ExitStatus, main
from tqcheck.qe import QEConfig
from tqcheck.reports import FORMATS, render
from tqcheck.reports.json import issue_to_dict, report_to_dict
from tqcheck.reports.jsonl import stream
from tqcheck.schema import (
    definition_schema,
    document_schema,
    report_schema,
    validate_document,
    validate_jsonl_line,
    validate_report,
)
from tqcheck.types import Category, Document, DocumentResult, FileError, Issue, Severity, Span

SCHEMA_FILE = ROOT / "tqcheck" / "schema" / "report.schema.json"
BILINGUAL = ROOT / "tests" / "data" / "bilingual"
TREE = ROOT / "tests" / "data" / "pairing" / "tree"
MT = SAMPLES / "live-commerce.zh-de.mt.txt"
SRC = SAMPLES / "live-commerce.zh.txt"
WECHAT = SAMPLES / "wechat-ecommerce.zh-de.mt.txt"


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def validate_definition(name: str, obj: object) -> None:
    jsonschema.Draft202012Validator(definition_schema(name)).validate(obj)


def walk(node: object, path: str = "#") -> Iterator[tuple[str, dict]]:
    """Every subschema (dict) of the schema, with a JSON-pointer-like path."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{path}/{index}")


# --- every report the CLI writes validates ------------------------------------------------------------------

CLI_RUNS = {
    "samples-folder": [str(SAMPLES)],
    "single-target": [str(WECHAT)],
    "source-and-reference": [str(MT), "--source", str(SRC), "--reference", "{reference}"],
    "pairing-tree-with-references": [str(TREE)],
    "bilingual-jsonl": [str(BILINGUAL / "valid.jsonl")],
    "bilingual-xliff": [str(BILINGUAL / "valid.xlf"), str(BILINGUAL / "valid-2.xlf")],
    "bilingual-tmx-tsv": [str(BILINGUAL / "valid.tmx"), str(BILINGUAL / "plain.tsv")],
    "select-punctuation": [str(SAMPLES), "--select", "TQ4"],
    "select-source-aware": [str(MT), "--source", str(SRC), "--select", "TQ7,literal-calque"],
    "ignore-and-override": [str(SAMPLES), "--ignore", "TQ5", "--severity", "TQ101=critical", "--fail-on", "major"],
    "fail-under": [str(WECHAT), "--fail-under", "99.5", "--fail-on", "none"],
}


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    """A human reference for ``MT``: its text with some words changed (a close reference keeps TER fast)."""
    path = tmp_path_factory.mktemp("reference") / "live-commerce.ref.de.txt"
    text = MT.read_text(encoding="utf-8")
    path.write_text(text.replace(" die ", " eine ").replace("Livestream", "Live-Stream"), encoding="utf-8")
    return path


@pytest.fixture
def broken_batch(tmp_path: Path) -> list[str]:
    empty = tmp_path / "empty.de.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "image.de.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    missing = tmp_path / "missing.de.txt"
    return [str(empty), str(WECHAT), str(binary), str(missing), str(BILINGUAL / "billion-laughs.xlf")]


@pytest.mark.parametrize("args", CLI_RUNS.values(), ids=CLI_RUNS.keys())
def test_cli_json_report_validates(capsys, reference, args):
    """Each sample run's JSON report, and each of its documents alone, is valid."""
    args = [arg.format(reference=reference) for arg in args]
    status, out, _ = run_cli(capsys, "check", *args, "--format", "json")
    assert status in (ExitStatus.PASSED, ExitStatus.GATE_FAILED)
    payload = json.loads(out)
    validate_report(payload)
    assert payload["documents"]
    for document in payload["documents"]:
        validate_document(document)


def test_cli_json_report_with_broken_files_validates(capsys, broken_batch):
    """A batch with unreadable files reports them as errors, and the report still validates."""
    status, out, _ = run_cli(capsys, "check", *broken_batch, "--format", "json")
    payload = json.loads(out)
    failed = payload["summary"]["failed"]
    assert status == (ExitStatus.GATE_FAILED if failed else ExitStatus.USAGE_OR_INPUT_ERROR)
    assert {e["kind"] for e in payload["errors"]} >= {"empty", "binary", "not-found", "unsafe-xml"}
    validate_report(payload)


def test_reference_run_has_metrics_and_source_spans(capsys, reference):
    """The richest run fills the optional parts the schema describes (so they are really validated)."""
    _, out, _ = run_cli(capsys, "check", str(MT), "--source", str(SRC), "--reference", str(reference),
                        "--format", "json")
    document = json.loads(out)["documents"][0]
    assert document["metrics"] is not None and document["metrics"]["segments"]
    assert document["alignment"]
    assert any("source_start_utf16" in issue for issue in document["issues"])


# --- JSONL ----------------------------------------------------------------------------------------------------

def jsonl_of(paths: list[str | Path], config: Config | None = None, **options) -> list[dict]:
    config = config or Config()
    lines = list(stream(iter_results(paths, config, **options), lambda done: build_report(done, config)))
    assert all(line.endswith("\n") and "\n" not in line[:-1] for line in lines)
    return [json.loads(line) for line in lines]


@pytest.mark.parametrize(
    ("paths", "options"),
    [
        ([SAMPLES], {}),
        ([MT], {"source": SRC, "reference": "{reference}"}),
        ([BILINGUAL / "valid.jsonl", BILINGUAL / "valid.xlf"], {}),
        ([TREE], {}),
    ],
    ids=["samples", "reference", "bilingual", "tree"],
)
def test_jsonl_lines_validate(reference, paths, options):
    """Every JSONL line validates, as its own definition and as a generic line; the summary comes last."""
    options = {key: reference if value == "{reference}" else value for key, value in options.items()}
    lines = jsonl_of(paths, **options)
    kinds = [line["type"] for line in lines]
    assert kinds[-1] == "summary" and kinds.count("summary") == 1 and "document" in kinds
    for line in lines:
        validate_jsonl_line(line)
        validate_definition(f"jsonl_{line['type']}", line)


def test_jsonl_error_lines_validate(broken_batch):
    lines = jsonl_of(broken_batch)
    errors = [line for line in lines if line["type"] == "error"]
    assert len(errors) == 4 and lines[-1]["summary"]["errors"] == 4
    for line in lines:
        validate_jsonl_line(line)


def test_jsonl_render_matches_json_report():
    """The registry's jsonl renderer carries exactly the JSON report's documents, errors and header."""
    config = Config(select=("TQ4", "TQ1"))
    report = build_report(tuple(iter_results([SAMPLES, SAMPLES / "nope.de.txt"], config)), config)
    lines = [json.loads(line) for line in render(report, "jsonl").splitlines()]
    full = report_to_dict(report)
    assert [{k: v for k, v in line.items() if k != "type"} for line in lines if line["type"] == "document"] \
        == full["documents"]
    assert [{k: v for k, v in line.items() if k != "type"} for line in lines if line["type"] == "error"] \
        == full["errors"]
    header = {k: v for k, v in lines[-1].items() if k != "type"}
    assert header == {k: full[k] for k in header}
    assert set(full) - set(header) == {"documents", "errors"}
    assert FORMATS["jsonl"] == "tqcheck.reports.jsonl:render"


def test_jsonl_stream_writes_each_document_before_reading_the_next():
    """A document's line is out before the next result is even computed."""
    config = Config()
    pulled: list[int] = []

    def results() -> Iterator[DocumentResult | FileError]:
        for index, result in enumerate(iter_results([MT, WECHAT], config)):
            pulled.append(index)
            yield result

    lines = stream(results(), lambda done: build_report(done, config))
    first = json.loads(next(lines))
    assert first["type"] == "document" and pulled == [0]
    rest = [json.loads(line) for line in lines]
    assert pulled == [0, 1] and [line["type"] for line in rest] == ["document", "summary"]
    assert rest[-1]["summary"]["documents"] == 2


# --- UTF-16 offsets -------------------------------------------------------------------------------------------

def utf16_slice(text: str, start: int, end: int) -> str:
    return text.encode("utf-16-le")[2 * start:2 * end].decode("utf-16-le")


def test_utf16_offsets_after_emoji():
    """After an astral character the UTF-16 offsets are one more than the code-point offsets, per character."""
    text = "😀 Das “x” ist gut."
    result = run(text, tgt="de", select=("TQ401",))
    (item,) = [issue_to_dict(i, result.target) for i in result.issues]
    assert (item["start"], item["end"], item["text"]) == (6, 9, "“x”")
    assert (item["start_utf16"], item["end_utf16"]) == (7, 10)
    assert utf16_slice(text, item["start_utf16"], item["end_utf16"]) == "“x”"


def test_utf16_offsets_of_source_spans():
    """Source spans get UTF-16 offsets into the source text (two astral characters before them here)."""
    target = "😀😀 Er hat 5 Bücher.\r\n\u00a0Er hat 7 Hefte."
    source = "😀😀 他有5本书。\n他有8本练习本。"
    result = run(target, source=source, tgt="de", select=("TQ701",))
    items = [issue_to_dict(i, result.target, result.source) for i in result.issues]
    assert items and all("source_start" in item for item in items)
    for item in items:
        assert utf16_slice(target, item["start_utf16"], item["end_utf16"]) == item["text"]
        assert utf16_slice(source, item["source_start_utf16"], item["source_end_utf16"]) == item["source_text"]
    assert items[0]["source_start_utf16"] == items[0]["source_start"] + 2
    validate_definition("issue", items[0])


ASTRAL_HEAVY = st.lists(
    st.one_of(
        st.sampled_from(["😀", "👩‍💻", "𝔘", "𠀀", "\r\n", "\n", "\r", "\u00a0", "“", "„", "x", "Das ", "中", "\u2028"]),
        st.text(max_size=6),
    ),
    min_size=1, max_size=30,
).map("".join).filter(bool)


@settings(max_examples=200, deadline=None)
@given(data=st.data(), text=ASTRAL_HEAVY, source=ASTRAL_HEAVY)
def test_utf16_offsets_slice_the_same_text(data, text, source):
    """For any text and span, the UTF-16 offsets cut the UTF-16 encoding to exactly the issue's ``text``."""
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    src_start = data.draw(st.integers(0, len(source)))
    src_end = data.draw(st.integers(src_start, len(source)))
    issue = Issue("TQ401", "foreign-quotation-marks", Category.PUNCTUATION, Severity.MINOR, Span(start, end), "m",
                  source_span=Span(src_start, src_end))
    item = issue_to_dict(issue, Document(text), Document(source))
    assert utf16_slice(text, item["start_utf16"], item["end_utf16"]) == item["text"] == text[start:end]
    assert utf16_slice(source, item["source_start_utf16"], item["source_end_utf16"]) == item["source_text"]
    assert item["end_utf16"] == len(text[:end].encode("utf-16-le")) // 2


@settings(max_examples=40, deadline=None)
@given(text=st.lists(st.sampled_from(["😀 ", "Das “x” ist gut. ", "„ja“ ,und", "\r\n", "\u00a0", "die die ", "𠀀"]),
                     min_size=1, max_size=12).map("".join))
def test_pipeline_issues_have_consistent_utf16_offsets(text):
    """Real issues on emoji/CRLF/NBSP text: UTF-16 offsets match, and the document entry validates."""
    result = run(text, tgt="de")
    config = Config(src_lang="zh", tgt_lang="de")
    document = report_to_dict(build_report([result], config))["documents"][0]
    validate_document(document)
    for item in document["issues"]:
        assert utf16_slice(text, item["start_utf16"], item["end_utf16"]) == item["text"]


# --- the schema itself ----------------------------------------------------------------------------------------

def test_schema_is_valid_draft_2020_12_with_id_and_title():
    schema = report_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].startswith("https://") and schema["title"] and schema["description"]
    jsonschema.Draft202012Validator.check_schema(document_schema())


def test_schema_enums_match_the_code():
    defs = report_schema()["$defs"]
    assert defs["severity"]["enum"] == [s.value for s in Severity]
    assert defs["category"]["enum"] == [c.value for c in Category]
    assert set(defs["severity_counts"]["required"]) == set(defs["severity_counts"]["properties"]) \
        == {s.value for s in Severity}


def test_schema_documents_every_property_and_definition():
    """The schema is the dashboard developers' documentation: nothing is left undescribed."""
    schema = report_schema()
    missing = [f"{path}/{name}" for path, node in walk(schema) if isinstance(node.get("properties"), dict)
               for name, prop in node["properties"].items() if not prop.get("description")]
    missing += [f"#/$defs/{name}" for name, node in schema["$defs"].items() if not node.get("description")]
    assert missing == []


def test_schema_closes_every_object():
    """Unknown keys are errors everywhere, so the schema and the code cannot drift apart."""
    schema = report_schema()
    open_objects = []
    for path, node in walk(schema):
        if "properties" not in node or not isinstance(node["properties"], dict):
            continue
        if path.endswith("_fields"):  # shared field lists: closed by every schema that uses them (below)
            continue
        if node.get("additionalProperties") is not False and node.get("unevaluatedProperties") is not False:
            open_objects.append(path)
    users = [node for _, node in walk(schema) if str(node.get("$ref", "")).endswith("_fields")]
    assert users and all(node.get("unevaluatedProperties") is False for node in users)
    assert open_objects == []


def test_config_schema_knows_exactly_the_config_keys():
    """A configuration key added to (or removed from) the code must be described in the schema too."""
    defs = report_schema()["$defs"]
    assert list(defs["config"]["properties"]) == list(Config().as_dict())
    assert set(defs["config"]["required"]) == set(Config().as_dict())
    qe = QEConfig().as_dict()
    assert set(defs["qe_config"]["properties"]) == set(defs["qe_config"]["required"]) == set(qe)


def test_config_schema_matches_config_with_qe():
    """The config definition knows every key of a full configuration (QE included)."""
    config = Config(src_lang="zh", tgt_lang="de", select=("TQ4",), severity_overrides={"TQ401": "info"},
                    fail_under=90, packs=(SAMPLES,), glossary=ROOT / "tests" / "data" / "glossary.zh-de.csv",
                    qe=QEConfig(quantize="int8", threshold=0.7, cache_dir=Path("cache")))
    validate_definition("config", json.loads(json.dumps(config.as_dict())))
    validate_definition("config", Config().as_dict())


def test_schema_command_prints_the_shipped_file(capsys):
    status, out, err = run_cli(capsys, "schema")
    assert status == ExitStatus.PASSED and err == ""
    assert out == SCHEMA_FILE.read_text(encoding="utf-8")
    assert json.loads(out) == report_schema()


def test_schema_loader_does_not_import_jsonschema():
    """jsonschema loads only when something is validated."""
    code = ("import sys, tqcheck.schema as s; s.report_schema(); s.document_schema(); "
            "assert 'jsonschema' not in sys.modules, 'imported'")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


# --- mutated reports fail -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def valid_report() -> dict:
    config = Config()
    report = build_report(tuple(iter_results([SAMPLES, SAMPLES / "nope.de.txt"], config)), config)
    payload = json.loads(render(report, "json"))
    validate_report(payload)
    assert payload["documents"][0]["issues"] and payload["errors"]
    return payload


def _set(path: tuple, value):
    def mutate(report: dict) -> None:
        node = report
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return mutate


def _delete(path: tuple):
    def mutate(report: dict) -> None:
        node = report
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
    return mutate


ISSUE = ("documents", 0, "issues", 0)
MUTATIONS = {
    "unknown-top-level-key": _set(("extra",), 1),
    "unknown-issue-key": _set((*ISSUE, "column_utf16"), 3),
    "unknown-document-key": _set(("documents", 0, "type"), "document"),
    "unknown-error-key": _set(("errors", 0, "line"), 3),
    "unknown-config-key": _set(("config", "colour"), True),
    "wrong-severity": _set((*ISSUE, "severity"), "fatal"),
    "wrong-category": _set((*ISSUE, "category"), "accuracy/wrong"),
    "wrong-count-key": _set(("summary", "issues", "blocker"), 0),
    "missing-utf16": _delete((*ISSUE, "start_utf16")),
    "missing-verdict": _delete(("documents", 0, "verdict")),
    "negative-offset": _set((*ISSUE, "start"), -1),
    "bad-code": _set((*ISSUE, "code"), "E501"),
    "wrong-schema-version": _set(("schema_version",), "2"),
    "wrong-offset-unit": _set(("offset_unit",), "utf16"),
    "null-target": _set(("documents", 0, "target"), None),
}


@pytest.mark.parametrize("mutate", MUTATIONS.values(), ids=MUTATIONS.keys())
def test_mutated_report_fails(valid_report, mutate):
    report = copy.deepcopy(valid_report)
    mutate(report)
    with pytest.raises(jsonschema.ValidationError):
        validate_report(report)


def test_mutated_jsonl_lines_fail(valid_report):
    document = {"type": "document", **valid_report["documents"][0]}
    validate_jsonl_line(document)
    for bad in ({**document, "type": "error"}, {**document, "extra": 1}, {**document, "type": "doc"},
                {k: v for k, v in document.items() if k != "type"}):
        with pytest.raises(jsonschema.ValidationError):
            validate_jsonl_line(bad)
    with pytest.raises(jsonschema.ValidationError):
        validate_document(document)  # a report document has no type tag
