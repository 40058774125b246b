"""What a ConText modifier does to the flag it modifies (content/red_flags.yml, ``modifiers``).

Two jobs, both driven by a modifier category's settings in the lexicon:
:func:`make_on_modifies` decides whether a modifier reaches a target at all
(it stays inside its clause), and :func:`verdict` applies the effects of the
modifiers that did (negation drops, history that is over drops unless the
past event is the red flag, questions drop and mark an info question, ...).
Kept apart from the detector so the rules of scope can be read in one place.
"""

from __future__ import annotations

from typing import Dict

from .lexicon import FlagSpec, ModifierCategory

SPAN_GROUP = "red_flag_targets"


def verdict(item, categories: Dict[str, ModifierCategory], helpers_present: set):
    """(counts?, reason, dropped-as-question?) for one found flag or helper."""
    # past_is_relevant: True (always), "recent" (only long-ago history drops it) or False
    past_relevant = item.spec.past_is_relevant if isinstance(item.spec, FlagSpec) else False
    if any(
        categories.get(m.category) is not None and categories[m.category].effect == "overrides_history"
        for m in item.modifiers
    ):
        past_relevant = True  # "it came back", "still there": history does not drop it
    for modifier in item.modifiers:
        category = categories.get(modifier.category)
        if category is None or category.effect == "keep":
            continue
        reason = f"{modifier.category}: {modifier.rule.literal}"
        if category.effect == "drop":
            return False, reason, False
        if category.effect == "drop_unless_past_relevant":
            if past_relevant:
                continue
            return False, reason, False
        if category.effect == "drop_if_long_ago":
            if past_relevant is True:
                continue
            return False, reason, False
        if category.effect == "drop_as_question":
            return False, reason, True
        if category.effect == "drop_family":
            if any(h in helpers_present for h in category.unless_helpers):
                continue
            return False, reason, False
    return True, "", False


def _clause_is_ongoing(target, modifier, ongoing, ongoing_unless, boundaries) -> bool:
    """True when the target's clause says it is still going on ("... and it's worse now")."""
    doc = target.doc
    sent = target.sent
    start = target.start
    while start > sent.start and doc[start - 1].lower_ not in boundaries:
        start -= 1
    end = target.end
    while end < sent.end and doc[end].lower_ not in boundaries:
        end += 1
    for i in range(start, end):
        if modifier.start <= i < modifier.end or target.start <= i < target.end:
            continue
        word = doc[i].lower_
        if word in ongoing and (i == 0 or doc[i - 1].lower_ not in ongoing_unless):
            return True
    return False


_COORDINATORS = frozenset({"and", "&", "or", "plus", "nor"})


def _coordinates(doc, i: int) -> bool:
    """True when token i only joins two found symptoms ("a fever AND chills last month").

    A stop word ends a modifier's reach ("no fever but I can't pee"), but one
    that coordinates two targets does not when the modifier comes after them:
    "I had a fever and chills last month" puts both in the past. Before them it
    still does ("no fever and numb legs" keeps the legs: when in doubt, the
    safer reading).
    """
    if doc[i].lower_ not in _COORDINATORS or i == 0 or i + 1 >= len(doc):
        return False
    targets = getattr(doc._, SPAN_GROUP, None) or ()
    before = after = False
    for span in targets:
        if span.start <= i - 1 < span.end:
            before = True
        if span.start <= i + 1 < span.end:
            after = True
    return before and after


def make_on_modifies(category: ModifierCategory):
    """ConText ``on_modifies`` callback: keep a modifier inside its clause.

    A modifier does not reach a target across a stop word ("no fever but I can't
    pee"), across a comma that starts a new clause ("no, I can't feel my legs";
    unless the category says a fronted modifier does: "Years ago, I fell"),
    when the target contains a blocker ("what is wrong with *my* legs"), and a
    historical modifier does not apply when the sentence says the problem is
    still going on ("I had a fever last month and it's back now").
    """
    stops = category.stop_between
    starters = category.clause_starters
    ongoing = category.ongoing_in_sentence
    ongoing_unless = category.ongoing_unless_after
    boundaries = category.clause_boundaries
    blockers = category.target_blockers
    fronted = category.fronted_crosses_clauses
    sentence_blocks = category.reaches_question_sentence

    def on_modifies(target, modifier, _span_between) -> bool:
        doc = target.doc
        if modifier.end <= target.start:
            between = doc[modifier.end : target.start]
            after_last = doc[target.start]
        elif target.end <= modifier.start:
            between = doc[target.end : modifier.start]
            after_last = None  # the next token is the modifier itself
        else:
            return False
        words = [tok.lower_ for tok in between]
        # a modifier said after the symptoms covers them all ("a fever and chills last month");
        # one said before does not reach past "and" ("no fever and numb legs" keeps the legs)
        after_targets = target.end <= modifier.start
        if stops and any(
            w in stops and not (after_targets and _coordinates(doc, tok.i)) for w, tok in zip(words, between)
        ):
            return False
        if starters and not (fronted and modifier.end <= target.start):
            for i, w in enumerate(words):
                if w in (",", ";", ":", "-", "\u2013", "\u2014"):
                    nxt = (
                        words[i + 1] if i + 1 < len(words) else (after_last.lower_ if after_last is not None else None)
                    )
                    if nxt is not None and nxt in starters:
                        return False
        if blockers and any(tok.lower_ in blockers for tok in target):
            return False
        # a framing ("asking for my course") reaches no flag of a sentence about someone: "I have a fever,
        # asking for my course" keeps the fever (its own words "my course" do not count)
        if sentence_blocks and any(
            tok.lower_ in blockers and not (modifier.start <= tok.i < modifier.end) for tok in target.sent
        ):
            return False
        if ongoing and _clause_is_ongoing(target, modifier, ongoing, ongoing_unless, boundaries):
            return False
        return True

    return on_modifies
