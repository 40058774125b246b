"""A server that dies while starting must say why in the error itself (CI keeps the error, not the log file)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.run.harness import free_port
from bot.run.serve import wait_until_up


def test_a_process_that_exits_before_it_is_ready_reports_the_end_of_its_log(tmp_path: Path):
    log = tmp_path / "rasa-1.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", "import sys; print('early line'); print('cannot bind the port'); sys.exit(2)"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    with pytest.raises(RuntimeError) as error:
        wait_until_up(f"http://127.0.0.1:{free_port()}/", process, timeout=30, log=log)
    assert "exited with code 2" in str(error.value)
    assert str(error.value).endswith("early line\ncannot bind the port")


def test_without_a_log_the_error_names_only_the_exit(tmp_path: Path):
    process = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    with pytest.raises(RuntimeError, match=r"exited with code 3 before it was ready$"):
        wait_until_up(f"http://127.0.0.1:{free_port()}/", process, timeout=30)
