"""The console entry point collects the youngest generation less often while its command runs and freezes the
garbage collector when the command is done (no collections at exit over what the run built); a call with
arguments, as from a library or a test, leaves the collector alone."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

from tqcheck import cli

ROOT = Path(__file__).parent.parent
TARGET, SOURCE = ROOT / "samples" / "wechat-ecommerce.zh-de.mt.txt", ROOT / "samples" / "wechat-ecommerce.zh.txt"


def test_main_with_arguments_does_not_freeze(capsys):
    """main(argv) is a library call: the process goes on, so its objects stay collectable."""
    before, threshold = gc.get_freeze_count(), gc.get_threshold()
    assert cli.main(["rules"]) == cli.ExitStatus.PASSED
    assert gc.get_freeze_count() == before and gc.get_threshold() == threshold


def test_main_without_arguments_freezes_after_the_command(monkeypatch, capsys):
    """main() is the process's command: once it has run, every object is frozen (and the status is returned)."""
    monkeypatch.setattr(sys, "argv", ["tqcheck", "rules"])
    threshold = gc.get_threshold()
    try:
        assert cli.main() == cli.ExitStatus.PASSED
        assert gc.get_freeze_count() > 0
        # Collected less often while it ran: the youngest generation alone, the older ones as before.
        assert gc.get_threshold() == (cli._GC_YOUNG, *threshold[1:])
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
    assert "TQ101" in capsys.readouterr().out


def test_console_run_writes_the_report_and_status_of_an_in_process_run(tmp_path):
    """python -m tqcheck (frozen at exit) writes the same report file and exit status as main(argv)."""
    frozen, plain = tmp_path / "frozen.json", tmp_path / "plain.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-m", "tqcheck", "check", str(TARGET), "--source", str(SOURCE), "--format",
                          "json", "-o", str(frozen)], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    status = cli.main(["check", str(TARGET), "--source", str(SOURCE), "--format", "json", "-o", str(plain)])
    assert run.returncode == status == cli.ExitStatus.GATE_FAILED
    assert frozen.read_bytes() == plain.read_bytes()
    assert run.stderr == "tqcheck: 1 of 1 document failed the gate\n"
