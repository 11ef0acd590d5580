"""--output: a report never replaces an input, a device or a link; mistakes are found before the work; the write is
atomic, keeps permissions and leaves no temporary file behind, even on SIGINT or SIGTERM."""

from __future__ import annotations

import errno
import json
import os
import signal
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES
from tqcheck.cli import ExitStatus, main
from tqcheck.readers.reports import is_report_file
from tqcheck.reports import write_atomic

GERMAN = "Das ist ein kurzer Artikel über den Handel in China.\n"
CHINESE = "这是一篇关于中国贸易的短文。\n"
FIX = "write the report to another file"
NOT_REGULAR = "-o writes regular files only; to send the report elsewhere, leave out -o and redirect standard output"


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def articles(tmp_path: Path, monkeypatch) -> Path:
    """A working folder with pairs by name, a reference, a glossary, a configuration file and a manifest."""
    monkeypatch.chdir(tmp_path)
    files = {
        "v.zh-de.mt.txt": GERMAN, "v.zh.txt": CHINESE,
        "x.de.txt": GERMAN, "x.zh.txt": CHINESE, "x.de.ref.txt": GERMAN,
        "lone.de.txt": GERMAN, "other.zh.txt": CHINESE,
        "glossary.csv": "source,target,forbidden,note\n贸易,Handel,,\n",
        "tqcheck.toml": 'fail_on = "none"\n',
        "manifest.csv": "target,source\nx.de.txt,x.zh.txt\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    return tmp_path


@pytest.fixture
def no_checking(monkeypatch):
    """Fail loudly if a run gets as far as checking anything: refusals must come before the work."""
    import tqcheck.batch

    def started(*_args, **_kwargs):
        raise AssertionError("checking started")

    monkeypatch.setattr(tqcheck.batch, "check_paths", started)
    monkeypatch.setattr(tqcheck.batch, "iter_results", started)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
            and not p.is_symlink()}


@pytest.mark.parametrize(
    ("args", "output", "problem"),
    [
        (["v.zh-de.mt.txt"], "v.zh-de.mt.txt", "is a file this run checks"),
        (["v.zh-de.mt.txt"], "v.zh.txt", "is the source of v.zh-de.mt.txt, which this run reads"),
        (["."], "x.zh.txt", "is the source of x.de.txt, which this run reads"),
        (["x.de.txt"], "x.de.ref.txt", "is the reference translation of x.de.txt, which this run reads"),
        (["lone.de.txt", "--source", "other.zh.txt"], "other.zh.txt",
         "is the source of lone.de.txt, which this run reads"),
        (["lone.de.txt", "--manifest", "manifest.csv"], "manifest.csv", "is the manifest of this run"),
        (["lone.de.txt", "--manifest", "manifest.csv"], "x.zh.txt",
         "is the source of x.de.txt, which this run reads"),
        (["lone.de.txt", "--glossary", "glossary.csv"], "glossary.csv", "is the glossary of this run"),
        (["lone.de.txt", "--config", "tqcheck.toml"], "tqcheck.toml", "is the configuration file of this run"),
        (["lone.de.txt"], "tqcheck.toml", "is the configuration file of this run"),  # found, not named
    ],
    ids=["target", "paired-source", "source-found-in-folder", "reference", "explicit-source", "manifest",
         "manifest-source", "glossary", "config-named", "config-found"],
)
def test_output_that_is_an_input_is_refused_before_any_work(articles, capsys, no_checking, args, output, problem):
    """The report would destroy the article, its source or the run's configuration: exit 2, one line, no change."""
    before = snapshot(articles)
    status, out, err = run_cli(capsys, "check", *args, "--format", "json", "-o", output)
    assert (status, out) == (ExitStatus.USAGE_OR_INPUT_ERROR, "")
    assert err == f"tqcheck: error: {output}: {problem} ({FIX})\n"
    assert snapshot(articles) == before


def test_links_to_an_input_are_refused(articles, capsys, no_checking):
    """Resolved paths catch a symbolic link (to the file or its folder), device and inode catch a hard link."""
    os.symlink("v.zh.txt", "link.txt")
    os.link("v.zh-de.mt.txt", "hard.txt")
    os.symlink(".", "here")
    before = snapshot(articles)
    for output, problem in [
        ("link.txt", "is a symbolic link to v.zh.txt, the source of v.zh-de.mt.txt, which this run reads"),
        ("hard.txt", "is a hard link to v.zh-de.mt.txt, a file this run checks"),
        ("here/v.zh-de.mt.txt", "is the same file as v.zh-de.mt.txt, a file this run checks"),
    ]:
        status, _, err = run_cli(capsys, "check", "v.zh-de.mt.txt", "-o", output)
        assert status == ExitStatus.USAGE_OR_INPUT_ERROR
        assert err == f"tqcheck: error: {output}: {problem} ({FIX})\n"
    assert snapshot(articles) == before and os.path.islink("link.txt")


def test_last_runs_report_in_the_checked_folder_is_rewritten_not_read(articles, capsys):
    """Writing the JSONL report into the folder checked, run after run: the earlier report is no input (the folder
    walk skips tqcheck's reports), so it is simply replaced; named as an input, it is refused."""
    status, _, _ = run_cli(capsys, "check", ".", "--format", "jsonl", "-o", "report.jsonl", "-q")
    assert status == ExitStatus.PASSED and is_report_file("report.jsonl")
    first = Path("report.jsonl").read_text(encoding="utf-8")
    status, _, _ = run_cli(capsys, "check", ".", "--format", "jsonl", "-o", "report.jsonl", "-q")
    assert status == ExitStatus.PASSED and Path("report.jsonl").read_text(encoding="utf-8") == first
    status, _, err = run_cli(capsys, "check", "report.jsonl", "--format", "json", "-o", "report.jsonl", "-q")
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR
    assert err == ("tqcheck: error: report.jsonl: is a file this run checks (write the report to another file)\n")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs and sockets")
def test_existing_non_regular_paths_are_refused_and_kept(articles, capsys, no_checking):
    """Folders, FIFOs, sockets and devices (also behind a link) are never replaced by a regular file, even as root."""
    os.mkfifo("pipe")
    server = socket.socket(socket.AF_UNIX)
    server.bind("sock")
    os.symlink("/dev/null", "null-link")
    try:
        for output, problem, hint in [
            ("sub", "is a folder", "name a file in it, e.g. sub/report.json"),
            ("pipe", "is a named pipe (FIFO), not a regular file", NOT_REGULAR),
            ("sock", "is a socket, not a regular file", NOT_REGULAR),
            ("/dev/null", "is a character device (a terminal, /dev/null …), not a regular file", NOT_REGULAR),
            ("null-link", "is a symbolic link to a character device (a terminal, /dev/null …), not a regular file",
             NOT_REGULAR),
        ]:
            status, out, err = run_cli(capsys, "check", "lone.de.txt", "--format", "json", "-o", output)
            assert (status, out) == (ExitStatus.USAGE_OR_INPUT_ERROR, "")
            assert err == f"tqcheck: error: {output}: {problem} ({hint})\n"
        assert stat.S_ISFIFO(os.lstat("pipe").st_mode) and stat.S_ISSOCK(os.lstat("sock").st_mode)
        assert stat.S_ISCHR(os.stat("/dev/null").st_mode) and os.path.islink("null-link")
    finally:
        server.close()


@pytest.mark.skipif(not os.path.islink("/dev/stdout"), reason="needs /dev/stdout as a symbolic link (Linux)")
def test_dev_stdout_on_a_pipe_is_refused_and_stays_a_link(articles):
    """`-o /dev/stdout` leads to a pipe here: refused; /dev/stdout itself stays a link (as root it was replaced)."""
    run = subprocess.run([sys.executable, "-m", "tqcheck", "check", "lone.de.txt", "-o", "/dev/stdout"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == ExitStatus.USAGE_OR_INPUT_ERROR and run.stdout == ""
    assert run.stderr == ("tqcheck: error: /dev/stdout: is a symbolic link to a named pipe (FIFO), not a regular "
                          f"file ({NOT_REGULAR})\n")
    assert os.path.islink("/dev/stdout")


def test_stdout_redirected_into_an_input_is_refused(articles):
    """`tqcheck check v.zh-de.mt.txt >> v.zh.txt` would append the report to the source: refused, source unchanged."""
    before = (articles / "v.zh.txt").read_bytes()
    with open(articles / "v.zh.txt", "ab") as stdout:
        run = subprocess.run([sys.executable, "-m", "tqcheck", "check", "v.zh-de.mt.txt"], stdout=stdout,
                             stderr=subprocess.PIPE, text=True, timeout=120)
    assert run.returncode == ExitStatus.USAGE_OR_INPUT_ERROR
    assert run.stderr == ("tqcheck: error: v.zh.txt: standard output is redirected to this file, the source of "
                          "v.zh-de.mt.txt, which this run reads (redirect it to a file that is not an input, e.g. "
                          "outside the folders checked)\n")
    assert (articles / "v.zh.txt").read_bytes() == before


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (AttributeError, OSError, ValueError):
        return 255


def test_output_problems_known_at_start_exit_2_before_the_work(articles, capsys, no_checking):
    """Missing folder, a file as folder, names over NAME_MAX bytes (not characters), names ending in a slash."""
    limit = _name_max(articles)
    long_ascii = "a" * (limit + 1) + ".json"
    long_chinese = "报" * (limit // 3 + 1) + ".json"  # fewer characters than the limit, more bytes
    cases = [
        ("nodir/deeper/r.json", "the folder nodir/deeper does not exist (create it first: mkdir -p nodir/deeper)"),
        ("v.zh.txt/r.json", "v.zh.txt is a file, not a folder (write the report into a folder)"),
        (long_ascii, f"the name '{long_ascii[:20]}…{long_ascii[-12:]}' is {limit + 6} bytes long; the file system "
                     f"allows {limit} (use a shorter name)"),
        (long_chinese, f"the name '{long_chinese[:20]}…{long_chinese[-12:]}' is "
                       f"{len(long_chinese.encode())} bytes long; the file system allows {limit} (use a shorter name)"),
        ("out/", "ends with a slash, so it names a folder (name a file in it, e.g. out/report.json)"),
    ]
    for output, message in cases:
        status, out, err = run_cli(capsys, "check", "lone.de.txt", "--format", "json", "-o", output)
        assert (status, out) == (ExitStatus.USAGE_OR_INPUT_ERROR, "")
        assert err == f"tqcheck: error: {output}: {message}\n"
    status, _, err = run_cli(capsys, "check", "lone.de.txt", "-o", "")
    assert err == "tqcheck: error: '': is an empty file name (name a file, e.g. -o report.txt)\n"
    assert not (articles / "nodir").exists() and not (articles / "out").exists()


def test_read_only_folder_is_refused_unless_this_process_may_write_there(articles, capsys):
    """chmod 0555: refused before the work for a normal user. Root may write into it (os.access says so, as
    the kernel does), and then the report is written: the check asks what this process can do."""
    ro = articles / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        status, _, err = run_cli(capsys, "check", "lone.de.txt", "--format", "json", "-o", "ro/r.json")
        if os.access(ro, os.W_OK):  # running as root
            assert status == ExitStatus.PASSED and json.loads((ro / "r.json").read_text(encoding="utf-8"))
        else:
            assert status == ExitStatus.USAGE_OR_INPUT_ERROR and not (ro / "r.json").exists()
            assert err == ("tqcheck: error: ro/r.json: cannot write into the folder ro: permission denied (choose "
                           "another folder, or make this one writable)\n")
    finally:
        ro.chmod(0o755)


def test_not_writable_folder_and_read_only_file_system_messages(articles, capsys, monkeypatch, no_checking):
    """The messages of what root cannot show for real here: a folder access() refuses, a read-only mount."""
    real_access, real_statvfs = os.access, os.statvfs
    denied = str(articles / "sub")
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if os.fspath(p) == denied
                        else real_access(p, mode, **kw))
    status, _, err = run_cli(capsys, "check", "lone.de.txt", "-o", "sub/r.txt")
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR
    assert err == ("tqcheck: error: sub/r.txt: cannot write into the folder sub: permission denied (choose another "
                   "folder, or make this one writable)\n")

    class ReadOnly:
        f_flag = os.ST_RDONLY

    monkeypatch.setattr(os, "statvfs", lambda p: ReadOnly() if os.fspath(p) == denied else real_statvfs(p))
    status, _, err = run_cli(capsys, "check", "lone.de.txt", "-o", "sub/r.txt")
    assert err == ("tqcheck: error: sub/r.txt: the folder sub is on a read-only file system (choose another "
                   "folder)\n")


def test_read_only_report_is_refused_unless_this_process_may_write_it(articles, capsys):
    report = articles / "r.json"
    report.write_text("{}", encoding="utf-8")
    report.chmod(0o444)
    status, _, err = run_cli(capsys, "check", "lone.de.txt", "--format", "json", "-o", "r.json")
    if os.access(report, os.W_OK):  # root: like `>`, it may; the mode stays
        assert status == ExitStatus.PASSED and stat.S_IMODE(report.stat().st_mode) == 0o444
        assert json.loads(report.read_text(encoding="utf-8"))["documents"]
    else:
        assert status == ExitStatus.USAGE_OR_INPUT_ERROR and report.read_text(encoding="utf-8") == "{}"
        assert err == "tqcheck: error: r.json: is read-only (make it writable, or choose another file)\n"


def test_report_through_a_symbolic_link_writes_the_target_and_keeps_the_link(articles, capsys):
    (articles / "reports").mkdir()
    target = articles / "reports" / "2024.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    os.symlink("reports/2024.json", "latest.json")
    os.symlink("reports/new.json", "dangling.json")
    for link in ("latest.json", "dangling.json"):
        status, out, _ = run_cli(capsys, "check", "lone.de.txt", "--format", "json", "-o", link)
        assert (status, out) == (ExitStatus.PASSED, "")
        assert os.path.islink(link)
        assert json.loads(Path(link).read_text(encoding="utf-8"))["documents"]
    assert os.readlink("latest.json") == "reports/2024.json" and stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in (articles / "reports").iterdir()) == ["2024.json", "new.json"]
    assert not [p for p in articles.iterdir() if p.name.endswith(".tmp")]


def test_existing_report_keeps_its_mode_and_a_new_one_follows_the_umask(articles, capsys):
    """A 0600 report stays 0600 (it became 0644); a new one is 0666 less the umask."""
    private = articles / "private.json"
    private.write_text("{}", encoding="utf-8")
    private.chmod(0o600)
    old_umask = os.umask(0o027)
    try:
        assert run_cli(capsys, "check", "lone.de.txt", "--format", "json", "-o", "private.json")[0] == 0
        assert run_cli(capsys, "check", "lone.de.txt", "--format", "json", "-o", "new.json")[0] == 0
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(private.stat().st_mode) == 0o600 and private.read_text(encoding="utf-8") != "{}"
    assert stat.S_IMODE((articles / "new.json").stat().st_mode) == 0o640


def test_write_failure_is_a_one_line_error_and_leaves_no_temporary_file(articles, capsys, monkeypatch):
    """A full disk at the end: exit 2 naming the file and the reason, not a traceback; the old report stays."""
    (articles / "r.json").write_text("old", encoding="utf-8")

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", full)
    status, _, err = run_cli(capsys, "check", "lone.de.txt", "--format", "json", "-o", "r.json")
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR and "Traceback" not in err
    assert err.endswith(f"tqcheck: error: r.json: cannot write this file: {os.strerror(errno.ENOSPC)}\n")
    assert (articles / "r.json").read_text(encoding="utf-8") == "old"
    assert not [p for p in articles.iterdir() if p.name.endswith(".tmp")]


# --- signals ------------------------------------------------------------------------------------------------

_WRITER = """
import os, signal, sys
from tqcheck.reports import write_atomic
sig = getattr(signal, sys.argv[2])
if sys.argv[3] == "ignore":
    signal.signal(sig, signal.SIG_IGN)
def pieces():
    yield "first\\n"
    os.kill(os.getpid(), sig)
    yield "second\\n"
write_atomic(sys.argv[1], pieces())
"""

# The CLI streaming JSON Lines into -o, signalled after its first line (the temporary file exists then).
_CLI = """
import os, signal, sys
import tqcheck.reports.jsonl as jsonl
from tqcheck.cli import main
sig = getattr(signal, sys.argv[1])
original = jsonl.stream_prerendered
def stream(rendered, header):
    for number, line in enumerate(original(rendered, header)):
        yield line
        if number == 0:
            os.kill(os.getpid(), sig)
jsonl.stream_prerendered = stream
sys.exit(main(["check", "lone.de.txt", "x.de.txt", "--format", "jsonl", "-o", "report.jsonl", "-q"]))
"""


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize(("sig", "disposition", "returncode", "content"), [
    ("SIGTERM", "default", -signal.SIGTERM, "old"),  # ends by the signal: a shell says 143
    ("SIGINT", "default", -signal.SIGINT, "old"),  # KeyboardInterrupt, uncaught: Python ends by SIGINT
    ("SIGTERM", "ignore", 0, "first\nsecond\n"),  # an ignored signal stays ignored: the write completes
])
def test_write_atomic_on_signals_leaves_no_temporary_file(tmp_path, sig, disposition, returncode, content):
    target = tmp_path / "report.txt"
    target.write_text("old", encoding="utf-8")
    run = subprocess.run([sys.executable, "-c", _WRITER, str(target), sig, disposition], capture_output=True,
                         text=True, timeout=60, env=_env())
    assert run.returncode == returncode, run.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]
    assert target.read_text(encoding="utf-8") == content


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize(("sig", "returncode"), [("SIGINT", 130), ("SIGTERM", -signal.SIGTERM)])
def test_cli_interrupted_while_streaming_exits_conventionally_without_temporary_files(articles, sig, returncode):
    """Ctrl-C: exit 130 with a note; SIGTERM: ended by the signal (143 in a shell). The old report stays."""
    (articles / "report.jsonl").write_text("old\n", encoding="utf-8")
    before = set(os.listdir(articles))
    run = subprocess.run([sys.executable, "-c", _CLI, sig], capture_output=True, text=True, timeout=300,
                         env=_env(), cwd=articles)
    assert run.returncode == returncode, run.stderr
    assert "Traceback" not in run.stderr
    if sig == "SIGINT":
        assert run.stderr.endswith("tqcheck: interrupted\n")
    assert set(os.listdir(articles)) == before
    assert (articles / "report.jsonl").read_text(encoding="utf-8") == "old\n"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_write_atomic_calls_the_callers_handler_and_restores_it(tmp_path):
    """A handler installed before the write runs as usual (the write goes on) and is back afterwards."""
    called = []

    def mine(signum, _frame):
        called.append(signum)

    def pieces():
        yield "a"
        os.kill(os.getpid(), signal.SIGTERM)
        yield "b"

    previous = signal.signal(signal.SIGTERM, mine)
    try:
        write_atomic(tmp_path / "r.txt", pieces())
        assert signal.getsignal(signal.SIGTERM) is mine
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert called == [signal.SIGTERM] and (tmp_path / "r.txt").read_text(encoding="utf-8") == "ab"


# --- tqcheck's own reports are recognised -------------------------------------------------------------------


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    """One report of each format (and the shapes that start differently), written by the CLI."""
    folder = tmp_path_factory.mktemp("reports")
    broken = folder / "broken.de.txt"
    broken.write_bytes(b"\x00\x01\x02" * 50)
    clean = SAMPLES / "mini-programme.de.txt"
    made = {}
    for name, args in {
        "text.txt": ["--format", "text"], "color.txt": ["--format", "text", "--color"],
        "report.json": ["--format", "json"], "report.jsonl": ["--format", "jsonl"],
        "report.sarif": ["--format", "sarif"], "report.html": ["--format", "html"],
    }.items():
        made[name] = folder / name
        assert main(["check", str(clean), *args, "-o", str(made[name]), "-q"]) == ExitStatus.PASSED
    made["errors-first.jsonl"] = folder / "errors-first.jsonl"
    main(["check", str(broken), str(clean), "--format", "jsonl", "-o", str(made["errors-first.jsonl"]), "-q"])
    made["summary-only.jsonl"] = folder / "summary-only.jsonl"
    main(["check", str(folder), "--format", "jsonl", "--include", "*.none", "-o", str(made["summary-only.jsonl"]),
          "-q"])
    return made


def test_is_report_file_recognises_every_format(reports):
    assert {name: is_report_file(path) for name, path in reports.items()} == dict.fromkeys(reports, True)


def test_is_report_file_leaves_articles_and_bilingual_files_alone(tmp_path):
    inputs = [*SAMPLES.glob("*.txt"), *(ROOT / "tests" / "data" / "bilingual").iterdir(),
              *(ROOT / "tests" / "data" / "cat").iterdir(), ROOT / "tests" / "data" / "pairing" / "manifest.csv"]
    quoting = tmp_path / "quoting.de.txt"
    quoting.write_text("Am Ende steht:\nsignature: tqcheck:0.1.0|rules:47@3e6ab6\nund dann mehr Text.\n",
                       encoding="utf-8")
    typed = tmp_path / "typed.jsonl"
    typed.write_text('{"type": "document", "target": "Ein Satz.", "source": "一句话。"}\n', encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    inputs += [quoting, typed, empty, tmp_path / "missing.txt"]
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.txt")  # must not block
        inputs.append(tmp_path / "pipe.txt")
    assert [p.name for p in inputs if is_report_file(p)] == []


@pytest.mark.parametrize(("fmt", "name"), [("jsonl", "report.jsonl"), ("text", "report.txt")])
def test_report_in_a_checked_folder_is_not_read_back_next_run(articles, capsys, fmt, name):
    """Run 1 writes its report into the folder it checks; run 2 must check the same files, not the report."""
    status, _, _ = run_cli(capsys, "check", ".", "--format", fmt, "-o", name, "-q")
    assert status == ExitStatus.PASSED and is_report_file(name)
    status, out, _ = run_cli(capsys, "check", ".", "--format", "json", "-q")
    payload = json.loads(out)
    assert [e["path"] for e in payload["errors"]] == []
    assert name not in [d["target"]["path"] for d in payload["documents"]]
    assert status == ExitStatus.PASSED
