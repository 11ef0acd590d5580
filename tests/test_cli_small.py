"""The command line's finish: a help page to read, errors said once, pack folders that explain themselves."""

from __future__ import annotations

import re
from pathlib import Path

import click

from tests.conftest import SAMPLES
from tests.test_cli import run_cli
from tqcheck.cli import _CHECK_STATUSES, ExitStatus, check
from tqcheck.configfile import STARTER
from tqcheck.packs import BUILTIN_DIR
from tqcheck.packs.layout import KNOWN_FILES, pack_warnings

SAMPLE = SAMPLES / "wechat-ecommerce.zh-de.mt.txt"
README = Path(__file__).parents[1] / "README.md"


# -- check --help ---------------------------------------------------------------------------------------------


def test_check_help_lists_every_option_in_a_titled_section(capsys):
    """A new option must be placed on purpose: only --help may fall through to "Other options"."""
    status, out, _ = run_cli(capsys, "check", "--help")
    assert status == ExitStatus.PASSED
    titles = re.findall(r"(?m)^([A-Z][^\n:]*):$", out)
    assert titles == ["Inputs", "Rules", "Gate and routing", "Report", "Quality estimation (needs the [qe] extra)",
                      "Running", "Configuration", "Other options", "Examples", "Exit status"]
    other = out.split("Other options:\n", 1)[1].split("\n\n", 1)[0]
    assert other.strip() == "-h, --help  Show this message and exit."
    for param in check.params:
        if isinstance(param, click.Option):
            assert any(f"{flag} " in out or f"{flag}\n" in out or f"{flag}," in out for flag in param.opts), param


def test_check_help_gives_every_exit_status_and_examples_that_run(capsys):
    _, out, _ = run_cli(capsys, "check", "--help")
    statuses = out.split("Exit status:\n", 1)[1]
    listed = re.findall(r"(?m)^  (\d+) ", statuses)
    assert listed == [str(int(s)) for s in ExitStatus] == [code for code, _ in _CHECK_STATUSES]
    examples = re.findall(r"(?m)^  \$ (.+)$", out)
    assert len(examples) == 5 and all(line.startswith("tqcheck check ") for line in examples)
    assert all(len(line) <= 80 for line in out.splitlines() if line.lstrip().startswith("$ "))


def test_the_first_help_example_is_the_readme_quick_start(capsys):
    _, out, _ = run_cli(capsys, "check", "--help")
    first = re.search(r"(?m)^  \$ (.+)$", out).group(1)
    assert first == "tqcheck check samples/" and first in README.read_text(encoding="utf-8")


# -- each error said once -------------------------------------------------------------------------------------


def _broken(tmp_path: Path) -> Path:
    broken = tmp_path / "broken.de.txt"
    broken.write_bytes(b"\x00\x01binary")
    return broken


def test_text_report_on_stdout_leaves_errors_to_stderr(tmp_path: Path, capsys):
    broken = _broken(tmp_path)
    status, out, err = run_cli(capsys, "check", str(SAMPLE), str(broken))
    assert status == ExitStatus.GATE_FAILED
    assert str(broken) not in out
    assert "1 input could not be read: listed on standard error.\n" in out
    assert err.count(str(broken)) == 1 and f"tqcheck: error: {broken}: looks binary" in err


def test_text_report_in_a_file_keeps_its_errors(tmp_path: Path, capsys):
    broken = _broken(tmp_path)
    report = tmp_path / "report.txt"
    run_cli(capsys, "check", str(SAMPLE), str(broken), "-o", str(report))
    written = report.read_text(encoding="utf-8")
    assert written.count(f"error: {broken}: looks binary") == 1 and "listed on standard error" not in written


def test_json_report_keeps_errors_in_the_report_and_on_stderr(tmp_path: Path, capsys):
    broken = _broken(tmp_path)
    _, out, err = run_cli(capsys, "check", str(SAMPLE), str(broken), "--format", "json")
    assert f'"path": "{broken}"' in out and f"tqcheck: error: {broken}: looks binary" in err


# -- pack folders ---------------------------------------------------------------------------------------------


def test_builtin_packs_hold_only_files_tqcheck_reads():
    assert pack_warnings(BUILTIN_DIR) == []
    shipped = {p.name for p in BUILTIN_DIR.glob("*/*") if p.suffix in (".tsv", ".txt") and "LICENSE" not in p.name}
    assert shipped <= KNOWN_FILES


def test_pack_folder_mistakes_are_each_named(tmp_path: Path):
    header = "source\tpattern\texample\twhy\tsuggestion\n"
    (tmp_path / "zh-de").mkdir()
    (tmp_path / "zh-de" / "calque.tsv").write_text(header, encoding="utf-8")
    (tmp_path / "zh-de" / "pivot_names.tsv").write_text(header, encoding="utf-8")
    (tmp_path / "zh-de" / "README.md").write_text("notes", encoding="utf-8")
    (tmp_path / "german").mkdir()
    (tmp_path / "calques.tsv").write_text(header, encoding="utf-8")
    assert pack_warnings(tmp_path) == [
        f"{tmp_path}/calques.tsv: pack files go in a folder named by language pair or target language "
        f"(e.g. {tmp_path}/zh-de/calques.tsv); not read",
        f"{tmp_path}/german: not a language folder (a target language such as de, or a pair such as zh-de); "
        "not read",
        f"{tmp_path}/zh-de/calque.tsv: not a pack file name, not read (did you mean calques.tsv?)",
        f"{tmp_path}/zh-de/pivot_names.tsv: read only in a target-language folder (such as de); not read",
        f"{tmp_path}: no pack file found (expected language folders such as zh-de/ or de/ holding calques.tsv, "
        "false_friends.tsv, terms.tsv…; see docs/packs.md)",
    ]


def test_a_good_pack_folder_gives_no_warning(tmp_path: Path):
    (tmp_path / "__pycache__").mkdir()  # a pack folder that is also a Python package, as the built-in one
    (tmp_path / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "zh-de").mkdir()
    (tmp_path / "zh-de" / "calques.tsv").write_text("source\tpattern\texample\twhy\tsuggestion\n", encoding="utf-8")
    (tmp_path / "de").mkdir()
    (tmp_path / "de" / "LICENSE.txt").write_text("CC0", encoding="utf-8")
    assert pack_warnings(tmp_path) == []


def test_check_warns_about_an_empty_pack_folder_unless_quiet(tmp_path: Path, capsys):
    status, _, err = run_cli(capsys, "check", str(SAMPLE), "--pack", str(tmp_path), "--format", "json")
    assert status == ExitStatus.GATE_FAILED
    assert f"tqcheck: warning: {tmp_path}: no pack file found (" in err
    _, _, quiet = run_cli(capsys, "check", str(SAMPLE), "--pack", str(tmp_path), "--format", "json", "-q")
    assert "warning" not in quiet


# -- init ------------------------------------------------------------------------------------------------------


def test_init_suggests_the_quantization_the_readme_recommends():
    suggested = re.search(r'(?m)^# quantize = "(\w+)"', STARTER).group(1)
    readme = README.read_text(encoding="utf-8")
    assert suggested == "bf16" and "use bf16" in readme


def test_help_imports_only_the_command_line():
    """`tqcheck --help` lists every command without importing what they run (tqcheck --help ≤ 0.08 s beyond a bare
    interpreter, bench/speed.py section 4): not the pipeline, its types, QE's model table or the rules."""
    import subprocess
    import sys

    code = ("import sys; from tqcheck.cli import main; main(['--help']); "
            "print(sorted(m for m in sys.modules if m.startswith('tqcheck')))")
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    loaded = done.stdout.strip().splitlines()[-1]
    assert "models" in done.stdout and "serve" in done.stdout and "baseline" in done.stdout
    assert loaded == str(["tqcheck", "tqcheck.cli", "tqcheck.clihelp", "tqcheck.display", "tqcheck.errors",
                          "tqcheck.service", "tqcheck.service.command"])
