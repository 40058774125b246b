"""The report as one self-contained HTML page: charts inline, one stylesheet, no scripts.

The same page is written by `bot insights` and served at /admin/insights. It
loads nothing from anywhere (images are data: URLs), so it can be mailed or
archived, and the admin page's Content-Security-Policy can forbid everything
except its own stylesheet, allowed by hash (`STYLE_HASH`).

Every value from the store is escaped. The only message texts on the page are
the unanswered list's masked examples.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from html import escape
from typing import Iterable, Optional, Sequence
from urllib.parse import urlencode

from bot.insights.charts import Chart, horizontal_bars, stacked_bars
from bot.insights.model import CHANNEL_LABELS, OUTCOME_LABELS, Report, channel_label

STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;margin:0;background:#f6f7f9}
main{max-width:1100px;margin:0 auto;padding:1.5rem}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.2rem;margin:2rem 0 .5rem;border-bottom:2px solid #0072B2}
section{background:#fff;padding:.5rem 1.2rem 1rem;margin-bottom:1rem;border-radius:6px}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}th,td{border:1px solid #ccd;padding:.25rem .5rem;text-align:right}
th:first-child,td:first-child{text-align:left}td.text{text-align:left;max-width:40rem}
.notice{background:#fff4d6;border-left:4px solid #E69F00;padding:.5rem 1rem;margin:.5rem 0}
.error{background:#fde2e1;border-left-color:#D55E00}
.cards{display:flex;flex-wrap:wrap;gap:.8rem}.card{background:#eef4fa;padding:.5rem .9rem;border-radius:6px}
.card b{display:block;font-size:1.4rem}img{max-width:100%;height:auto}
form{display:flex;flex-wrap:wrap;gap:.8rem;align-items:end;margin:.8rem 0}label{display:flex;flex-direction:column;font-size:.85rem}
input,select,button{font:inherit;padding:.25rem .4rem}.muted{color:#555;font-size:.85rem}
""".strip()
STYLE_HASH = "sha256-" + base64.b64encode(hashlib.sha256(STYLE.encode("utf-8")).digest()).decode("ascii")


def _date(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _table(
    head: Sequence[str],
    rows: Iterable[Sequence[object]],
    caption: Optional[str] = None,
    text_columns: Sequence[int] = (),
) -> str:
    out = ["<table>"]
    if caption:
        out.append(f"<caption class=muted>{escape(caption)}</caption>")
    out.append("<tr>" + "".join(f"<th scope=col>{escape(str(h))}</th>" for h in head) + "</tr>")
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            cls = " class=text" if i in text_columns else ""
            cells.append(f"<td{cls}>{escape(str(value))}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "".join(out)


def _figure(chart: Chart, table_html: str) -> str:
    return (
        f'<figure><img src="data:image/png;base64,{chart.png_base64}" alt="{escape(chart.alt)}">'
        f"<details><summary>The numbers behind this chart</summary>{table_html}</details></figure>"
    )


def _week_table(title: str, weeks, rows) -> str:
    return _table(
        [title, *(f"week of {w.isoformat()}" for w in weeks), "total"],
        [(name, *values, sum(values)) for name, values in rows],
    )


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def _form(report: Report, action: str) -> str:
    period = report.period
    since = dt.datetime.fromtimestamp(period.since, dt.timezone.utc).date().isoformat()
    until = dt.datetime.fromtimestamp(period.until - 1, dt.timezone.utc).date().isoformat()
    channels = sorted(set(report.channels_seen) | set(CHANNEL_LABELS) | ({period.channel} if period.channel else set()))
    options = ['<option value="">all channels</option>'] + [
        f'<option value="{escape(c)}"{" selected" if c == period.channel else ""}>{escape(channel_label(c))}</option>'
        for c in channels
    ]
    return (
        f'<form method=get action="{escape(action)}" aria-label="Period and channel">'
        f'<label>From (UTC day)<input type=date name=since value="{since}"></label>'
        f'<label>To (UTC day, included)<input type=date name=until value="{until}"></label>'
        f"<label>Channel<select name=channel>{''.join(options)}</select></label>"
        f"<button type=submit>Show</button></form>"
    )


def render_error(message: str) -> str:
    return _page("Clinic insights", f'<p class="notice error" role=alert>{escape(message)}</p>')


def _page(title: str, body: str) -> str:
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width,initial-scale=1'>"
        f"<meta name=referrer content=no-referrer><title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )


def render_html(report: Report, form_action: Optional[str] = None, csv_href: Optional[str] = None) -> str:
    """The page; `form_action` adds the period and channel form (the admin page), `csv_href` the CSV link."""
    period = report.period
    scope = channel_label(period.channel) if period.channel else "all channels"
    parts = [
        f"<h1>Clinic insights</h1><p>{escape(_date(period.since))} to {escape(_date(period.until))}, "
        f"{escape(scope)}. Made {escape(_date(report.generated_at))}.</p>"
    ]
    if form_action is not None:
        parts.append(_form(report, form_action))
    parts.append(
        f"<p class=muted>Only the last {report.retention_seconds / 86400:g} days are kept (the retention "
        "period); nothing older is shown. No sender ids appear; message texts appear only in the "
        "unanswered list, with phone numbers, emails, postcodes and dates masked, and never from a "
        "conversation that raised an alert. Days and weeks are UTC.</p>"
    )
    if report.since_clamped:
        parts.append(
            "<p class=notice>The period asked for began before the retention period; "
            "it starts at the retention limit instead.</p>"
        )
    if report.skipped_rows:
        parts.append(
            f"<p class=notice>{report.skipped_rows} stored event"
            f"{' was' if report.skipped_rows == 1 else 's were'} not valid JSON and "
            f"{'was' if report.skipped_rows == 1 else 'were'} left out of this report.</p>"
        )
    if report.store_empty:
        parts.append(
            "<p class=notice role=status>No conversations are stored yet. Once people talk to the "
            "assistant, this page shows what they ask.</p>"
        )
        return _page("Clinic insights", "".join(parts))
    if not report.has_data:
        parts.append(
            "<p class=notice role=status>No conversations in this period"
            f"{' on this channel' if period.channel else ''}. Choose a longer period or another channel.</p>"
        )
        return _page("Clinic insights", "".join(parts))

    totals = report.totals()
    cards = [
        ("conversations", totals["conversations"]),
        ("turns", totals["turns"]),
        ("unanswered messages", totals["unanswered_turns"]),
        ("alerts raised", totals["alert_turns"]),
        ("conversations with an alert", totals["alert_conversations"]),
        ("requests for a person", totals["human_requests"]),
    ]
    parts.append(
        "<div class=cards>" + "".join(f"<div class=card><b>{v}</b>{escape(k)}</div>" for k, v in cards) + "</div>"
    )
    parts.append(_activity(report))
    parts.append(_topics(report))
    parts.append(_unanswered(report, csv_href))
    parts.append(_triage(report))
    parts.append(_people(report))
    parts.append(_outcomes(report))
    return _page("Clinic insights", "".join(parts))


def _activity(report: Report) -> str:
    days = report.per_day()
    channels = sorted({c for _, cells in days for c in cells})
    labels = [d.strftime("%d %b") for d, _ in days]
    turns = [(c, [cells.get(c, (0, 0))[1] for _, cells in days]) for c in channels]
    convs = [(c, [cells.get(c, (0, 0))[0] for _, cells in days]) for c in channels]
    table = _table(
        ["day", *(f"{c}: conversations" for c in channels), *(f"{c}: turns" for c in channels)],
        [
            (d.isoformat(), *(cells.get(c, (0, 0))[0] for c in channels), *(cells.get(c, (0, 0))[1] for c in channels))
            for d, cells in days
        ],
    )
    total_turns = sum(sum(v) for _, v in turns)
    chart_t = stacked_bars(
        "Turns per day, by channel",
        labels,
        turns,
        f"Bar chart of turns per day by channel: {total_turns} turns over {len(days)} days.",
    )
    chart_c = stacked_bars(
        "Conversations per day, by channel",
        labels,
        convs,
        "Bar chart of conversations per day by channel; the table below has every number.",
    )
    return (
        f"<section aria-labelledby=h-activity><h2 id=h-activity>Conversations and turns per day</h2>"
        f"<p class=muted>A turn is one message and the assistant's answer. A conversation counts once a day "
        f"on each day it has a turn.</p>{_figure(chart_c, table)}{_figure(chart_t, table)}</section>"
    )


def _topics(report: Report) -> str:
    topics = report.topics()
    if not topics:
        return "<section><h2>Most asked topics</h2><p>No questions about the fact base in this period.</p></section>"
    top = topics[:15]
    chart = horizontal_bars(
        "Most asked topics",
        top,
        "Bar chart of the most asked topics: " + ", ".join(f"{t} {n}" for t, n in top[:5]) + ".",
    )
    weeks, rows = report.topics_by_week()
    weekly = stacked_bars(
        "Top topics per week",
        [w.strftime("%d %b") for w in weeks],
        rows,
        "Stacked bars of the top topics per week; the table below has every number.",
        width=8.0,
    )
    return (
        f"<section aria-labelledby=h-topics><h2 id=h-topics>Most asked topics</h2>"
        f"{_figure(chart, _table(['topic', 'turns'], topics))}"
        f"<h3>Week by week</h3>{_figure(weekly, _week_table('topic', weeks, rows))}</section>"
    )


def _unanswered(report: Report, csv_href: Optional[str]) -> str:
    groups = report.unanswered
    link = f' <a href="{escape(csv_href)}" download>Download as CSV</a>' if csv_href else ""
    head = (
        f"<section aria-labelledby=h-unanswered><h2 id=h-unanswered>Unanswered messages</h2>"
        f"<p class=muted>Messages that ended in a clarifying question, a request to rephrase, or an "
        f"out-of-scope reply, grouped by similar wording: the best list of training examples and facts to "
        f"add.{link}</p>"
    )
    if not groups:
        return head + "<p>None in this period.</p></section>"
    rows = [
        (
            g.count,
            g.example,
            g.guessed_topic or "-",
            ", ".join(f"{OUTCOME_LABELS[o]} {n}" for o, n in sorted(g.outcomes.items())),
            len(g.texts),
        )
        for g in groups[:100]
    ]
    more = f"<p class=muted>{len(groups) - 100} smaller groups are in the CSV.</p>" if len(groups) > 100 else ""
    return (
        head
        + _table(
            ["times", "example (masked)", "topic guessed", "what the assistant did", "wordings"],
            rows,
            text_columns=(1,),
        )
        + more
        + "</section>"
    )


def _triage(report: Report) -> str:
    weeks, levels = report.triage_by_week()
    _, flags = report.red_flags_by_week()
    labels = [w.strftime("%d %b") for w in weeks]
    total = sum(sum(v) for _, v in levels)
    chart = stacked_bars(
        "Alerts per week, by triage level",
        labels,
        levels,
        f"Stacked bars of alerts per week by level: {total} alerts; "
        + ", ".join(f"{lvl} {sum(v)}" for lvl, v in levels)
        + ".",
    )
    after = report.after_alerts()
    after_table = _table(
        ["level", "left", "asked again", "asked for a person"],
        [(lvl, c["left"], c["asked again"], c["asked for a person"]) for lvl, c in after],
    )
    return (
        f"<section aria-labelledby=h-triage><h2 id=h-triage>Alerts: who was sent to a doctor</h2>"
        f"<p class=muted>emergency: told to call the emergency number; urgent: a doctor today; professional: "
        f"see a GP or physiotherapist before massage. Conversations with an alert are counted, never quoted."
        f"</p>{_figure(chart, _week_table('level', weeks, levels))}"
        f"<h3>Per red-flag group</h3>{_week_table('red-flag group', weeks, flags) if flags else '<p>None.</p>'}"
        f"<h3>What people did next</h3>{after_table}</section>"
    )


def _people(report: Report) -> str:
    weeks, rows = report.human_requests_by_week()
    not_helped = report.not_helped()
    table = (
        _table(["topic answered", 'followed by "that didn\'t help"', "followed by the same question"], not_helped)
        if not_helped
        else "<p>None in this period.</p>"
    )
    return (
        f"<section aria-labelledby=h-people><h2 id=h-people>Requests for a person, answers that did not help</h2>"
        f"{_week_table('', weeks, rows)}"
        f'<h3>Answers people followed with "that didn\'t help" or a repeat</h3>{table}</section>'
    )


def _outcomes(report: Report) -> str:
    outcomes = report.outcomes()
    whole = sum(n for _, n in outcomes)
    chart = horizontal_bars(
        "How turns were answered",
        [(OUTCOME_LABELS[o], n) for o, n in outcomes],
        "Bar chart of how turns were answered: "
        + ", ".join(f"{OUTCOME_LABELS[o]} {_percent(n, whole)}" for o, n in outcomes)
        + ".",
    )
    table = _table(["answer", "turns", "share"], [(OUTCOME_LABELS[o], n, _percent(n, whole)) for o, n in outcomes])
    return (
        f"<section aria-labelledby=h-outcomes><h2 id=h-outcomes>How turns were answered</h2>"
        f"{_figure(chart, table)}</section>"
    )


def query_string(since: str, until: str, channel: Optional[str]) -> str:
    return urlencode({k: v for k, v in (("since", since), ("until", until), ("channel", channel)) if v})
