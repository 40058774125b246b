"""Every count in the report equals the seeded truth, on SQLite and on the real PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from bot.insights.export import unanswered_csv
from bot.insights.grouping import words
from bot.insights.masking import mask
from bot.insights.model import Period, channel_label
from bot.insights.render import render_html
from bot.insights.report import Settings, build_report, open_store
from tests.insights.seed import ALERT_SECRET, ALERT_TEXTS, CHANNELS, DAY, SECRETS, truth, unanswered_truth

SETTINGS = Settings("30d", 30 * DAY)


def report_for(seeded, channel=None, since_days=20, until=None):
    until = seeded.now if until is None else until
    period = Period(seeded.now - since_days * DAY, until, channel)
    return build_report(open_store(seeded.url), period, SETTINGS, now=seeded.now), period


@pytest.mark.parametrize("channel", [None, *CHANNELS])
def test_counts_per_day_channel_topic_and_level_equal_the_seeded_truth(seeded, channel):
    report, period = report_for(seeded, channel)
    expected = truth(seeded.conversations, period.since, period.until, channel)
    assert expected["totals"]["turns"] > 0
    totals = report.totals()
    for key in ("conversations", "turns", "human_requests", "alert_conversations"):
        assert totals[key] == expected["totals"][key], key

    days = {(day, name): cell for day, cells in report.per_day() for name, cell in cells.items()}
    assert {k: v[1] for k, v in days.items() if v[1]} == {
        (d, channel_label(c)): n for (d, c), n in expected["per_day"].items()
    }
    assert {k: v[0] for k, v in days.items() if v[0]} == {
        (d, channel_label(c)): n for (d, c), n in expected["conv_days"].items()
    }

    assert dict(report.topics()) == dict(expected["topics"])
    assert {o: n for o, n in report.outcomes() if n} == dict(expected["outcomes"])
    _, levels = report.triage_by_week()
    assert {lvl: sum(v) for lvl, v in levels if sum(v)} == dict(expected["levels"])
    _, flags = report.red_flags_by_week()
    assert {f: sum(v) for f, v in flags} == dict(expected["flags"])
    assert {lvl: {k: v for k, v in c.items() if v} for lvl, c in report.after_alerts() if any(c.values())} == {
        lvl: dict(c) for lvl, c in expected["after"].items()
    }
    helped = Counter()
    for topic, denied, repeated in report.not_helped():
        helped.update({(topic, "denied"): denied, (topic, "repeated"): repeated})
    assert +helped == expected["not_helped"]


def test_weekly_tables_add_up_to_the_days(seeded):
    report, period = report_for(seeded)
    weeks, rows = report.topics_by_week(top=100)
    assert sum(sum(v) for _, v in rows) == sum(n for _, n in report.topics())
    assert all(w.weekday() == 0 for w in weeks)  # weeks start on Monday
    assert len(report.per_day()) == len(period.days())


def test_a_shorter_period_counts_only_its_own_days(seeded):
    since = (seeded.now // DAY - 5) * DAY
    report, period = report_for(seeded, since_days=(seeded.now - since) / DAY)
    expected = truth(seeded.conversations, period.since, period.until)
    assert (
        report.totals()["turns"]
        == expected["totals"]["turns"]
        < truth(seeded.conversations, seeded.now - 20 * DAY, seeded.now)["totals"]["turns"]
    )


@pytest.mark.parametrize("channel", [None, "telegram"])
def test_unanswered_messages_are_grouped_by_similar_wording(seeded, channel):
    report, period = report_for(seeded, channel)
    expected = unanswered_truth(seeded.conversations, period.since, period.until, channel)
    assert sum(g.count for g in report.unanswered) == sum(expected.values())
    # every wording is in exactly one group, with its count
    shown = Counter()
    for g in report.unanswered:
        for text in g.texts:
            shown[text] += 0
    wordings = Counter()
    for text, n in expected.items():
        wordings[" ".join(mask(text).split())] += n
    assert set(shown) == set(wordings)
    # the three ways of asking about shingles are one group; the weather is another
    shingles = [g for g in report.unanswered if "shingle" in words(g.example)]
    if any("shingles" in t for t in expected):
        assert len(shingles) == 1
        assert shingles[0].count == sum(n for t, n in expected.items() if "shingles" in t)
        assert all("weather" not in t for t in shingles[0].texts)


def test_the_csv_carries_the_guessed_topic_and_counts(seeded):
    report, _ = report_for(seeded)
    lines = unanswered_csv(report.unanswered).splitlines()
    assert lines[0].split(",")[:3] == ["count", "example", "guessed_topic"]
    hot_stone = [g for g in report.unanswered if "hot stone" in g.example]
    assert hot_stone and all(g.guessed_topic == "type.hot_stone" for g in hot_stone)
    assert any(line.split(",")[2] == "type.hot_stone" for line in lines[1:])


def test_masked_details_and_alerting_conversations_never_appear(seeded):
    report, _ = report_for(seeded)
    html, csv = render_html(report, form_action="insights", csv_href="x.csv"), unanswered_csv(report.unanswered)
    assert any("[phone]" in g.example for g in report.unanswered)
    for secret in SECRETS + [ALERT_SECRET]:
        assert secret not in html and secret not in csv, secret
    for text, _, _ in ALERT_TEXTS:  # alert messages are counted, never quoted
        assert mask(text) not in html and mask(text) not in csv
    for conversation in seeded.conversations:
        assert conversation.sender not in html and conversation.sender not in csv
    assert report.totals()["alert_turns"] > 0


def test_the_report_reads_nothing_older_than_the_retention_period(seeded):
    short = Settings("3d", 3 * DAY)
    report = build_report(open_store(seeded.url), Period(seeded.now - 20 * DAY, seeded.now), short, now=seeded.now)
    assert report.since_clamped
    assert report.period.since == pytest.approx(seeded.now - 3 * DAY)
    expected = truth(seeded.conversations, seeded.now - 3 * DAY, seeded.now)
    assert report.totals()["turns"] == expected["totals"]["turns"]
    assert "retention" in render_html(report)


def test_the_page_shows_charts_with_text_alternatives(seeded):
    report, _ = report_for(seeded)
    html = render_html(report)
    assert html.count('<img src="data:image/png;base64,') >= 6
    assert 'alt=""' not in html and html.count("The numbers behind this chart") >= 6
    assert "<script" not in html and "http://" not in html and "https://" not in html
    first = dt.datetime.fromtimestamp(report.period.since, dt.timezone.utc).date().isoformat()
    assert first in html
