"""Choosing the learned triage model's thresholds on the dev split.

The model gives each message a cumulative probability per level; where to cut
them decides what the person sees beside the rules. The choice is its own
module because it is the safety trade-off in one place: emergency recall
first, then urgent, with false alarms (rules and model together) under a
budget, and when in doubt the lower threshold (triage higher).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Dict, Optional, Sequence, Tuple

import numpy as np

from bot.core.levels import EMERGENCY, LEVELS, NONE, PROFESSIONAL, URGENT, rank

if TYPE_CHECKING:
    from .learned import TriageModel

DEFAULT_THRESHOLDS = {EMERGENCY: 0.5, URGENT: 0.5, PROFESSIONAL: 0.5}
DEFAULT_FALSE_ALARM_BUDGET = 0.04  # on dev; the target on unseen batches is 5%
# false alarms the model may add on dev on top of the rules' own when those alone exceed the budget
MODEL_ADDED_BUDGET = 0.015
# benign messages (labelled none) the model may raise to professional on dev
PROFESSIONAL_NONE_BUDGET = 0.10


def _rates(levels_true: Sequence[str], levels_pred: Sequence[str]) -> Dict[str, float]:
    """Recall per level (at that level or higher) and the false-alarm rate."""
    out: Dict[str, float] = {}
    true_r = np.array([rank(level) for level in levels_true])
    pred_r = np.array([rank(level) for level in levels_pred])
    for level in (EMERGENCY, URGENT, PROFESSIONAL):
        mask = true_r == rank(level)
        out[level] = float((pred_r[mask] >= rank(level)).mean()) if mask.any() else float("nan")
    benign = true_r < rank(URGENT)
    out["false_alarm_rate"] = float((pred_r[benign] >= rank(URGENT)).mean()) if benign.any() else 0.0
    return out


def _grid(values: np.ndarray) -> np.ndarray:
    """The thresholds worth trying for one column: its distinct values (at most ~160), and 'never'."""
    qs = np.unique(np.round(values, 4))
    if len(qs) > 160:
        qs = np.unique(np.quantile(values, np.linspace(0, 1, 160)))
    return np.concatenate([qs, [1.01]])


def _alert_thresholds(cum: np.ndarray, true_r: np.ndarray, rules_r: np.ndarray, limit: float) -> Tuple[float, float]:
    """(emergency, urgent) thresholds: best emergency then urgent recall within ``limit`` false alarms,
    then the fewest false alarms, then the lowest thresholds. 1.01 (never) when nothing fits."""
    benign = true_r < rank(URGENT)
    is_em = true_r == rank(EMERGENCY)
    is_ur = true_r == rank(URGENT)
    n_benign = max(1, int(benign.sum()))
    best = None
    for t_em in _grid(cum[:, 2]):
        model_em = cum[:, 2] >= t_em
        for t_ur in _grid(cum[:, 1]):
            model_r = np.where(model_em, 3, np.where(cum[:, 1] >= t_ur, 2, 0))
            final = np.maximum(model_r, rules_r)
            fa = float((final[benign] >= 2).sum()) / n_benign
            if fa > limit + 1e-12:
                continue
            em = float((final[is_em] >= 3).mean()) if is_em.any() else 1.0
            ur = float((final[is_ur] >= 2).mean()) if is_ur.any() else 1.0
            key = (em, ur, -fa, -t_em, -t_ur)
            if best is None or key > best[0]:
                best = (key, t_em, t_ur)
    if best is None:  # even the rules alone are over budget: the model adds no alerts
        return 1.01, 1.01
    return best[1], best[2]


def _professional_threshold(cum: np.ndarray, true_r: np.ndarray) -> float:
    """The lowest threshold that raises at most PROFESSIONAL_NONE_BUDGET of the dev messages
    labelled none (a "see a GP first" note on a plain question costs little)."""
    is_none = true_r == rank(NONE)
    if not is_none.any():
        return 0.5
    t_prof = float(np.quantile(cum[is_none, 0], 1 - PROFESSIONAL_NONE_BUDGET))
    return min(max(t_prof, 0.2), 0.9)


def choose_thresholds(
    model: "TriageModel",
    texts: Sequence[str],
    levels: Sequence[str],
    rule_levels: Optional[Sequence[str]] = None,
    max_false_alarm_rate: float = DEFAULT_FALSE_ALARM_BUDGET,
) -> Dict[str, object]:
    """Per-level thresholds from the dev split: emergency recall first, then urgent, false alarms capped.

    ``rule_levels`` are the rules' levels for the same messages: the false-alarm
    budget is for what the person sees (the higher of the two), so thresholds
    leave room for the rules' own false alarms. Among the settings with the
    best (emergency recall, urgent recall), the one with the fewest false alarms
    is taken, and of those the lowest thresholds (when unsure, triage higher).
    Sets ``model.thresholds`` and returns a report of the choice.
    """
    if not texts:
        model.thresholds = dict(DEFAULT_THRESHOLDS)
        return {"thresholds": dict(model.thresholds), "note": "no dev split: default thresholds"}
    cum = model.cumulative(texts)
    true_r = np.array([rank(level) for level in levels])
    rules_r = np.array([rank(level) for level in rule_levels]) if rule_levels is not None else np.zeros(len(texts), int)
    benign = true_r < rank(URGENT)
    # The budget is for what the person sees (rules and model together). When the rules
    # alone already exceed it on dev, the model may still add at most MODEL_ADDED_BUDGET
    # of false alarms on top of them (otherwise it would be switched off entirely and
    # catch nothing the lexicon misses); the report records which limit applied.
    rules_fa = float((rules_r[benign] >= 2).sum()) / max(1, int(benign.sum()))
    limit = max(max_false_alarm_rate, rules_fa + MODEL_ADDED_BUDGET)
    t_em, t_ur = _alert_thresholds(cum, true_r, rules_r, limit)
    model.thresholds = {EMERGENCY: float(t_em), URGENT: float(t_ur), PROFESSIONAL: _professional_threshold(cum, true_r)}
    model_levels = model.levels_from(cum)
    combined = [LEVELS[max(rank(m), int(r))] for m, r in zip(model_levels, rules_r)]
    report = {
        "thresholds": dict(model.thresholds),
        "false_alarm_budget": max_false_alarm_rate,
        "false_alarm_limit_used": limit,
        "rules_false_alarm_rate": rules_fa,
        "dev_messages": len(texts),
        "model_alone": _rates(levels, model_levels),
        "combined": _rates(levels, combined),
    }
    if rule_levels is not None:
        report["rules_alone"] = _rates(levels, list(rule_levels))
    model.dev_report = report
    return report
