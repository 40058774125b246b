"""bot.run.supervise's restart policy, on stand-in children (no servers needed)."""

from __future__ import annotations

import threading

import pytest

from bot.run.supervise import RestartPolicy, describe_exit, supervise

FAST = RestartPolicy(first_delay=0.01, max_delay=0.05, max_crashes=3, window=60)


class Children:
    """Stand-in children: `crash_plan[name]` lists the exit codes of its next runs (None: keeps running)."""

    def __init__(self, crash_plan: dict[str, list], users: set[str]) -> None:
        self.plan = {name: list(runs) for name, runs in crash_plan.items()}
        self.users = users
        self.current = {name: self.plan[name].pop(0) for name in self.plan}
        self.starts = {name: 1 for name in self.plan}
        self.lock = threading.Lock()

    def names(self) -> list[str]:
        return list(self.plan)

    def exit_code(self, name: str):
        return self.current[name]

    def restart(self, name: str) -> None:
        self.starts[name] += 1
        self.current[name] = self.plan[name].pop(0) if self.plan[name] else None

    def ready_url(self, name: str) -> str:
        return "http://127.0.0.1:9/"  # nothing listens: "not serving again" is fine here

    def serves_users(self, name: str) -> bool:
        return name in self.users


def run_in_background(children: Children, log: list[str]) -> threading.Thread:
    thread = threading.Thread(target=supervise, args=(children, FAST, log.append, 0.01), daemon=True)
    thread.start()
    return thread


def test_a_crashed_child_is_restarted_and_the_others_are_left_alone():
    children = Children({"rasa-1": [-9, None], "rasa-2": [None], "actions": [None]}, users={"rasa-1", "rasa-2"})
    log: list[str] = []
    run_in_background(children, log)
    threading.Event().wait(0.5)
    assert children.starts == {"rasa-1": 2, "rasa-2": 1, "actions": 1}
    assert any("rasa-1 was killed by SIGKILL; restarting it in" in line for line in log), log
    assert any(line == "rasa-1: restarted" for line in log), log


def test_a_child_that_keeps_crashing_is_given_up_on_while_the_rest_serve():
    children = Children({"rasa-1": [None], "actions": [1, 1, 1, 1, 1, 1, 1]}, users={"rasa-1"})
    log: list[str] = []
    thread = run_in_background(children, log)
    threading.Event().wait(1.0)
    assert thread.is_alive(), "a Rasa server still serves, so the supervisor goes on"
    assert children.starts["actions"] == FAST.max_crashes + 1
    assert any("actions exited with code 1, its 4th crash within 60 s; giving up" in line for line in log), log


def test_when_no_rasa_server_is_left_the_supervisor_stops_with_an_error_code():
    children = Children({"rasa-1": [1] * 10, "actions": [None]}, users={"rasa-1"})
    log: list[str] = []
    assert supervise(children, FAST, log.append, 0.01) == 1
    assert log[-1] == "no Rasa server is left; stopping"


def test_the_delay_doubles_with_each_crash_up_to_the_maximum():
    children = Children({"rasa-1": [2, 2, 2, None]}, users={"rasa-1"})
    log: list[str] = []
    policy = RestartPolicy(first_delay=0.1, max_delay=0.2, max_crashes=5, window=60)
    thread = threading.Thread(target=supervise, args=(children, policy, log.append, 0.01), daemon=True)
    thread.start()
    threading.Event().wait(1.2)
    delays = [line.split("restarting it in ")[1].split(" s,")[0] for line in log if "restarting it in" in line]
    assert delays == ["0.1", "0.2", "0.2"]
    assert children.starts["rasa-1"] == 4


@pytest.mark.parametrize(
    "code, text",
    [
        (-9, "was killed by SIGKILL"),
        (-15, "was killed by SIGTERM"),
        (1, "exited with code 1"),
        (-200, "was killed by signal 200"),
    ],
)
def test_exits_are_described_for_an_operator(code, text):
    assert describe_exit(code) == text
