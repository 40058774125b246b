"""End to end over REST: the held-out set meets the understanding targets.

Each held-out message (tests/nlu/heldout.yml, never trained on) goes to the
real running assistant in a fresh conversation; the envelope's `topic` must
match the label often enough overall, and for every single topic.
"""

from __future__ import annotations

import pytest

from bot.tools.labelled import labelled
from bot.tools.nlu_eval import TARGET_ACCURACY, TARGET_RECALL, ask_all, metrics

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def result(assistant) -> dict:
    return metrics(ask_all(assistant.ask, labelled()))


def _confusions(result: dict) -> str:
    return "\n".join(f"  {c['expected']} -> {c['got']}: {c['messages']}" for c in result["confusions"])


def test_every_heldout_reply_carries_one_envelope(result):
    broken = [c for c in result["confusions"] if c["got"] == "(no envelope)"]
    assert not broken, f"replies without exactly one envelope: {broken}"


def test_heldout_topic_accuracy_meets_the_target(result):
    assert result["accuracy"] >= TARGET_ACCURACY, (
        f"held-out accuracy {result['accuracy']:.1%} < {TARGET_ACCURACY:.0%}; confusions:\n{_confusions(result)}"
    )


def test_no_topic_falls_below_the_recall_target(result):
    weak = {t: m["recall"] for t, m in result["per_topic"].items() if m["support"] and m["recall"] < TARGET_RECALL}
    assert not weak, f"topics below {TARGET_RECALL:.0%} recall: {weak}; confusions:\n{_confusions(result)}"
