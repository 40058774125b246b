"""The evaluation arithmetic, on outcomes whose right answers are known by construction."""

from __future__ import annotations

from bot.tools.nlu_eval import Outcome, meets_targets, metrics


def _outcomes(pairs):
    return [Outcome(text=f"m{i}", expected=e, got=g) for i, (e, g) in enumerate(pairs)]


def test_precision_recall_and_confusions():
    result = metrics(_outcomes([("a", "a"), ("a", "b"), ("b", "b"), ("b", "b"), ("c", "a")]))
    assert result["accuracy"] == 0.6
    assert result["per_topic"]["a"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2, "predicted": 2}
    assert result["per_topic"]["b"]["precision"] == round(2 / 3, 4)
    assert result["per_topic"]["b"]["recall"] == 1.0
    assert result["per_topic"]["c"]["recall"] == 0.0
    assert result["lowest_recall"] == (0.0, "c")
    assert {(c["expected"], c["got"], c["count"]) for c in result["confusions"]} == {("a", "b", 1), ("c", "a", 1)}


def test_targets_need_both_accuracy_and_every_topic():
    good = metrics(_outcomes([("a", "a")] * 20))
    assert meets_targets(good)
    one_weak_topic = metrics(_outcomes([("a", "a")] * 40 + [("b", "a"), ("b", "b")]))
    assert one_weak_topic["accuracy"] >= 0.95
    assert not meets_targets(one_weak_topic)
