"""Configuration files: discovery, precedence over defaults and under the command line, strict errors, init."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import GLOSSARY, SAMPLES
from tqcheck.cli import ExitStatus, main
from tqcheck.configfile import (
    KEYS,
    QE_KEYS,
    SCORING_KEYS,
    SPELLING_KEYS,
    STARTER,
    find_config,
    load_config_file,
    merge,
    resolve_settings,
)
from tqcheck.errors import ConfigError
from tqcheck.routing import POLICY_KEYS
from tqcheck.types import Severity

SAMPLE = SAMPLES / "wechat-ecommerce.zh-de.mt.txt"


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with the sample article (and its source) two folders down."""
    articles = tmp_path / "project" / "articles" / "2024"
    articles.mkdir(parents=True)
    for name in ("wechat-ecommerce.zh-de.mt.txt", "wechat-ecommerce.zh.txt"):
        shutil.copy(SAMPLES / name, articles / name)
    return tmp_path / "project"


def article(project: Path) -> Path:
    return project / "articles" / "2024" / "wechat-ecommerce.zh-de.mt.txt"


def json_config(capsys, *args: str) -> tuple[int, dict]:
    status, out, err = run_cli(capsys, "check", *args)
    assert out, err
    return status, json.loads(out)["config"]


# -- discovery ----------------------------------------------------------------------------------------------


def test_find_config_walks_up_from_the_file_folder(project: Path):
    """The nearest tqcheck.toml above the first path is found, from a file or a folder."""
    config = write(project / "tqcheck.toml", "")
    assert find_config(article(project)) == config.resolve()
    assert find_config(project / "articles") == config.resolve()


def test_find_config_nearest_wins(project: Path):
    """A file nearer the input wins over one further up."""
    write(project / "tqcheck.toml", "")
    nearer = write(project / "articles" / "tqcheck.toml", "")
    assert find_config(article(project)) == nearer.resolve()


def test_find_config_pyproject_with_table(project: Path):
    """pyproject.toml counts only with a [tool.tqcheck] table; tqcheck.toml wins in the same folder."""
    write(project / "articles" / "pyproject.toml", "[tool.black]\nline-length = 100\n")
    pyproject = write(project / "pyproject.toml", "[tool.tqcheck]\nfail_under = 50\n")
    assert find_config(article(project)) == pyproject.resolve()
    assert load_config_file(pyproject) == {"fail_under": 50.0}
    config = write(project / "tqcheck.toml", "")
    assert find_config(article(project)) == config.resolve()


def test_find_config_stops_at_the_repository_root_and_at_home(tmp_path: Path, monkeypatch):
    """Above a repository root (.git, .hg, .svn) or the user's home nothing is read: a stray file there is not
    the project's."""
    write(tmp_path / "tqcheck.toml", 'select = ["TQ5"]\n')
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    assert find_config(repo / "docs" / "a.de.txt") is None
    own = write(repo / "tqcheck.toml", "")
    assert find_config(repo / "docs" / "a.de.txt") == own.resolve()  # the root's own file is read
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    assert find_config(home / "work" / "a.de.txt") is None


def test_find_config_never_reads_a_world_writable_folder(tmp_path: Path):
    """A tqcheck.toml in /tmp (or any folder anybody may write) would silence every rule of every run below it."""
    shared = tmp_path / "shared"
    write(shared / "tqcheck.toml", 'ignore = ["TQ"]\n')
    shared.chmod(0o1777)
    try:
        assert find_config(shared / "project" / "a.de.txt") is None
        assert find_config(shared / "a.de.txt") is None
    finally:
        shared.chmod(0o755)


def test_another_projects_broken_pyproject_does_not_break_a_run(tmp_path: Path):
    """A pyproject.toml that never mentions [tool.tqcheck] is not parsed; one that has the table must be valid."""
    write(tmp_path / "pyproject.toml", "[project\nname = broken\n")
    assert find_config(tmp_path / "a.de.txt") is None
    write(tmp_path / "pyproject.toml", "[tool.tqcheck]\nfail_under = \n")
    with pytest.raises(ConfigError, match=r"pyproject\.toml"):
        find_config(tmp_path / "a.de.txt")


def test_find_config_none(tmp_path: Path):
    """Without any file up to the root, there is no configuration (and no error)."""
    found = find_config(tmp_path / "a" / "b.de.txt")
    assert found is None or tmp_path not in found.parents  # a stray file above the temp folder is not ours


def test_cli_uses_found_file_and_records_it(project: Path, capsys):
    """A discovered file's values apply, and the report's config names the file."""
    config = write(project / "tqcheck.toml", 'format = "json"\nselect = ["TQ5"]\nfail_on = "major"\n')
    status, out, _ = run_cli(capsys, "check", str(article(project)))
    recorded = json.loads(out)["config"]  # format = "json" came from the file too
    assert recorded["config_file"] == str(config.resolve())
    assert recorded["select"] == ["TQ5"] and recorded["fail_on"] == "major"
    assert status == ExitStatus.GATE_FAILED  # the sample has major TQ5xx issues


def test_cli_config_option_overrides_search(project: Path, tmp_path: Path, capsys):
    """--config FILE is used instead of the file the search would find."""
    write(project / "tqcheck.toml", 'select = ["TQ5"]\n')
    other = write(tmp_path / "elsewhere" / "ci.toml", 'select = ["TQ4"]\n')
    _, recorded = json_config(capsys, str(article(project)), "--format", "json", "--config", str(other))
    assert recorded["select"] == ["TQ4"] and recorded["config_file"] == str(other)


def test_cli_config_option_accepts_pyproject(project: Path, tmp_path: Path, capsys):
    """--config pyproject.toml reads its [tool.tqcheck] table."""
    other = write(tmp_path / "elsewhere" / "pyproject.toml", '[tool.tqcheck]\nignore = ["TQ1"]\n')
    _, recorded = json_config(capsys, str(article(project)), "--format", "json", "--config", str(other))
    assert recorded["ignore"] == ["TQ1"]


def test_cli_no_config_disables_the_search(project: Path, capsys):
    """--no-config: the file is not read, even a broken one."""
    write(project / "tqcheck.toml", "this is = = not toml\n")
    status, recorded = json_config(capsys, str(article(project)), "--format", "json", "--no-config")
    assert status == ExitStatus.GATE_FAILED  # the article fails the default gate: the run went through
    assert recorded["config_file"] is None and recorded["select"] == []


def test_cli_config_and_no_config_conflict(project: Path, capsys):
    status, _, err = run_cli(capsys, "check", str(article(project)), "--config", "x.toml", "--no-config")
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR
    assert "--config and --no-config cannot be combined" in err


def test_cli_missing_config_file_names_it(project: Path, tmp_path: Path, capsys):
    missing = tmp_path / "nope.toml"
    status, _, err = run_cli(capsys, "check", str(article(project)), "--config", str(missing))
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR
    assert f"tqcheck: error: {missing}: no such configuration file" in err


# -- precedence ---------------------------------------------------------------------------------------------


def test_command_line_overrides_file_only_when_given(project: Path, capsys):
    """Given options win; options left at click's default do not override the file."""
    write(project / "tqcheck.toml", 'fail_on = "major"\nfail_under = 99.5\njobs = 2\nformat = "json"\n'
                                    'src_lang = "zh"\n[severity]\nTQ501 = "info"\n')
    args = (str(article(project)),)
    _, recorded = json_config(capsys, *args)
    assert (recorded["fail_on"], recorded["fail_under"]) == ("major", 99.5)
    status, recorded = json_config(capsys, *args, "--fail-on", "none", "--fail-under", "0", "--severity",
                                   "TQ504=minor", "--jobs", "1")
    assert status == ExitStatus.PASSED
    assert (recorded["fail_on"], recorded["fail_under"], recorded["src_lang"]) == (None, 0.0, "zh")
    # the [severity] table merges code by code
    assert recorded["severity_overrides"] == {"TQ501": "info", "TQ504": "minor"}
    # Wide enough that a temporary folder's long file name is not wrapped after a "/" (the report fits its width).
    status, out, _ = run_cli(capsys, "check", *args, "--format", "text", "--width", "1000")
    assert status == ExitStatus.GATE_FAILED and out.startswith(str(article(project)))


def test_command_line_list_replaces_file_list(project: Path, capsys):
    write(project / "tqcheck.toml", 'select = ["TQ5"]\nignore = ["TQ501"]\n')
    _, recorded = json_config(capsys, str(article(project)), "--format", "json", "--select", "TQ4,TQ1")
    assert recorded["select"] == ["TQ4", "TQ1"] and recorded["ignore"] == ["TQ501"]


def test_merge_qe_table_and_enabled(tmp_path: Path):
    """[qe] model alone does not turn QE on; enabled does; --no-qe (enabled=False) beats the file."""
    model = write(tmp_path / "models" / "kiwi" / "checkpoints" / "model.ckpt", "")
    config = write(tmp_path / "tqcheck.toml", '[qe]\nmodel = "models/kiwi/checkpoints/model.ckpt"\n'
                                              'device = "cpu"\nbatch_size = 4\nthreshold = 1\n')
    values = load_config_file(config)
    assert merge(values, {}).config.qe is None
    values["qe"]["enabled"] = True
    qe = merge(values, {"qe": {"batch_size": 16}}).config.qe
    assert qe is not None
    assert (qe.model, qe.device, qe.batch_size, qe.threshold) == (str(model.resolve()), "cpu", 16, 1.0)
    assert merge(values, {"qe": {"enabled": False}}).config.qe is None


def test_hub_model_name_is_not_a_path(tmp_path: Path):
    config = write(tmp_path / "tqcheck.toml", '[qe]\nenabled = true\nmodel = "Unbabel/wmt22-cometkiwi-da"\n')
    qe = resolve_settings(tmp_path, config_file=config).config.qe
    assert qe is not None and qe.model == "Unbabel/wmt22-cometkiwi-da"


def test_relative_paths_resolve_against_the_config_folder(project: Path, tmp_path: Path, capsys, monkeypatch):
    """packs, glossary and qe.cache_dir are relative to the file, not to the working folder."""
    (project / "packs" / "de").mkdir(parents=True)
    shutil.copy(GLOSSARY, project / "terms.csv")
    write(project / "tqcheck.toml", 'packs = ["packs"]\nglossary = "terms.csv"\nformat = "json"\n'
                                    '[qe]\ncache_dir = "cache"\n')
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    _, recorded = json_config(capsys, str(article(project)))
    assert recorded["packs"] == [str(project.resolve() / "packs")]
    assert recorded["glossary"] == str(project.resolve() / "terms.csv")
    settings = resolve_settings(article(project))
    assert settings.config.qe is None  # cache_dir alone does not enable QE
    assert load_config_file(project / "tqcheck.toml")["qe"]["cache_dir"] == project.resolve() / "cache"


def test_merge_defaults():
    settings = merge({}, {})
    assert (settings.format, settings.jobs) == ("text", 1)
    assert settings.config.fail_on is Severity.CRITICAL and settings.config.config_file is None


# -- errors -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("fail_undr = 80\n", "unknown key 'fail_undr' (did you mean 'fail_under'?)"),
        ("fail-under = 80\n", "unknown key 'fail-under' (did you mean 'fail_under'?)"),
        ("colour = true\n", "unknown key 'colour' (known keys: src_lang, tgt_lang, select"),
        ("[qe]\nmodle = \"x\"\n", "unknown key 'qe.modle' (did you mean 'qe.model'?)"),
        ('jobs = "two"\n', "'jobs' must be an integer, got \"two\""),
        ("jobs = true\n", "'jobs' must be an integer, got true"),
        ("jobs = -1\n", "'jobs' must be 0 (one per CPU) or more, got -1"),
        ('fail_under = "80"\n', "'fail_under' must be a number, got \"80\""),
        ("fail_under = 120\n", "'fail_under': fail-under must be between 0 and 100, got 120.0"),
        ('select = "TQ1"\n', "'select' must be a list of strings, got \"TQ1\""),
        ("ignore = [1, 2]\n", "'ignore' must be a list of strings, got [1, 2]"),
        ('select = ["TQ999"]\n', "'select': unknown rule 'TQ999'"),
        ('fail_on = "fatal"\n', "'fail_on': invalid fail_on 'fatal'"),
        ('tgt_lang = "German"\n', "'tgt_lang': tgt-lang must be a lowercase ISO 639 code"),
        ('format = "xml"\n', "'format' must be one of text, json"),
        ("severity = 3\n", "'severity' must be a table"),
        ('[severity]\nTQ101 = "fatal"\n', "'severity.TQ101': invalid severity for TQ101 'fatal'"),
        ('[severity]\nTQ1011 = "info"\n', "'severity.TQ1011': unknown rule code (did you mean 'TQ101'?)"),
        ("[severity]\nTQ101 = 1\n", "'severity.TQ101' must be a string, got 1"),
        ('packs = ["nowhere"]\n', "'packs': no such folder "),
        ('glossary = "nowhere.csv"\n', "'glossary': no such file "),
        ('[qe]\ndevice = "tpu"\n', "[qe]: invalid device 'tpu'"),
        ("[qe]\nenabled = 1\n", "'qe.enabled' must be true or false, got 1"),
        ("[qe]\nbatch_size = 0\n", "[qe]: batch size must be a positive integer, got 0"),
        ("qe = 1\n", "'qe' must be a table, got 1"),
    ],
)
def test_config_errors_name_file_and_key(tmp_path: Path, text: str, message: str):
    path = write(tmp_path / "tqcheck.toml", text)
    with pytest.raises(ConfigError) as raised:
        load_config_file(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert message in str(raised.value)


def test_invalid_toml_names_file_and_line(tmp_path: Path):
    path = write(tmp_path / "tqcheck.toml", 'select = ["TQ1"]\n\nfail_under = \n')
    with pytest.raises(ConfigError, match=re.escape(f"{path}:3: invalid TOML: ") + r".* \(column \d+\)$"):
        load_config_file(path)


def test_pyproject_errors_name_the_table(tmp_path: Path):
    path = write(tmp_path / "pyproject.toml", "[tool.tqcheck]\nfail_undr = 1\n")
    with pytest.raises(ConfigError, match=re.escape(f"{path} [tool.tqcheck]: unknown key 'fail_undr'")):
        load_config_file(path)


def test_pyproject_without_table_given_explicitly(tmp_path: Path):
    path = write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    with pytest.raises(ConfigError, match=re.escape(f"{path}: no [tool.tqcheck] table")):
        load_config_file(path)


def test_cli_config_error_exits_2_naming_file(project: Path, capsys):
    """A bad file found by the search stops the run before anything is checked, naming file and key."""
    config = write(project / "tqcheck.toml", 'jobs = "two"\n')
    status, out, err = run_cli(capsys, "check", str(article(project)))
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR and out == ""
    assert f"tqcheck: error: {config.resolve()}: 'jobs' must be an integer, got \"two\"" in err


def test_cli_bad_toml_exits_2_naming_line(project: Path, capsys):
    config = write(project / "tqcheck.toml", "[qe\n")
    status, _, err = run_cli(capsys, "check", str(article(project)))
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR
    assert f"{config.resolve()}:1: invalid TOML" in err


# -- init ---------------------------------------------------------------------------------------------------


def test_init_writes_a_loadable_starter(tmp_path: Path, capsys, monkeypatch):
    """`tqcheck init` writes tqcheck.toml into the current folder; it loads and means the defaults."""
    monkeypatch.chdir(tmp_path)
    status, out, _ = run_cli(capsys, "init")
    written = tmp_path / "tqcheck.toml"
    assert status == ExitStatus.PASSED and "wrote tqcheck.toml" in out
    assert written.read_text(encoding="utf-8") == STARTER
    settings = merge(load_config_file(written), {})
    assert settings == merge({}, {})


def test_init_refuses_to_overwrite_unless_forced(tmp_path: Path, capsys):
    target = write(tmp_path / "tqcheck.toml", "jobs = 4\n")
    status, _, err = run_cli(capsys, "init", "--path", str(tmp_path))
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR
    assert f"tqcheck: error: {target} already exists; use --force to overwrite it" in err
    assert target.read_text(encoding="utf-8") == "jobs = 4\n"
    status, _, _ = run_cli(capsys, "init", "--path", str(tmp_path), "--force")
    assert status == ExitStatus.PASSED and target.read_text(encoding="utf-8") == STARTER


def test_init_every_commented_setting_is_valid(tmp_path: Path):
    """Uncommenting every `# key = value` and `# [table]` line of the starter gives a file that loads."""
    (tmp_path / "packs").mkdir()
    shutil.copy(GLOSSARY, tmp_path / "glossary.zh-de.csv")
    (tmp_path / "tqcheck-baseline.json").write_text('{"tqcheck_baseline": 1, "fingerprint": "tqcheckSpan/v1", '
                                                    '"files": {}}', encoding="utf-8")
    write(tmp_path / "words.txt", "Tqcheck\n")
    uncommented = re.sub(r"(?m)^# (\w+ = |\[)", r"\1", STARTER)
    keys = set(re.findall(r"(?m)^(\w+) = ", uncommented))
    # every key is in the starter: top level, [severity], [qe], [scoring] and [routing]
    tables = {"severity", "qe", "scoring", "routing", "category_weights", "characters_per_word", "spelling"}
    assert keys == {*KEYS, *QE_KEYS, *SCORING_KEYS, *SPELLING_KEYS, *POLICY_KEYS, "TQ403"} - tables
    values = load_config_file(write(tmp_path / "tqcheck.toml", uncommented))
    settings = merge(values, {})
    assert settings.config.src_lang == "zh" and settings.config.qe is None  # enabled = false
    assert settings.config.severity_overrides == {"TQ403": Severity.INFO}
    assert settings.config.content_type == "marketing" and settings.config.scoring.passing_threshold == 90
    assert settings.config.spelling.casefolded == {"tqcheck", "mini-programm"}


def test_init_missing_folder_is_a_usage_error(tmp_path: Path, capsys):
    status, _, err = run_cli(capsys, "init", "--path", str(tmp_path / "nope"))
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR and "does not exist" in err
