"""Bad input gives one clear sentence, never a traceback: an empty store, an empty period,
a corrupted event row, an unreachable store, a malformed option."""

from __future__ import annotations

import socket

import pytest
import sqlalchemy as sa

from bot.insights.model import Period
from bot.insights.render import render_html
from bot.insights.report import BadRequest, Settings, build_report, open_store, period_from
from bot.run.cli import main as bot
from tests.insights.seed import DAY, NOW, population, save_all, truth
from tests.support.services import pg_url, require_postgres, scratch_database

SETTINGS = Settings("30d", 30 * DAY)


def run_cli(capsys, *args):
    code = bot(["insights", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_a_store_without_an_events_table_is_reported_as_empty(tmp_path, capsys):
    code, out, _ = run_cli(capsys, "--db-url", f"sqlite:///{tmp_path / 'new.db'}", "--out", str(tmp_path / "r.html"))
    assert code == 0 and "no conversations are stored yet" in out
    assert "No conversations are stored yet" in (tmp_path / "r.html").read_text()


def test_a_store_with_the_table_but_no_rows_is_reported_as_empty(tmp_path, domain):
    from bot.rasa.tracker_store import LeanSQLTrackerStore

    LeanSQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "c.db")).engine.dispose()
    report = build_report(open_store(f"sqlite:///{tmp_path / 'c.db'}"), Period(NOW - DAY, NOW), SETTINGS, now=NOW)
    assert report.store_empty and not report.has_data
    assert "No conversations are stored yet" in render_html(report)


def test_a_period_without_conversations_says_so(sqlite_store, tmp_path, capsys):
    code, out, _ = run_cli(
        capsys,
        "--db-url",
        sqlite_store.url,
        "--since",
        "1d",
        "--until",
        "2001-01-01",
        "--out",
        str(tmp_path / "r.html"),
    )
    assert code == 0 and "no conversations in this period" in out
    html = (tmp_path / "r.html").read_text()
    assert "No conversations in this period" in html and "<img" not in html


def test_the_cli_writes_the_html_and_the_csv(sqlite_store, tmp_path, capsys):
    code, out, _ = run_cli(
        capsys, "--db-url", sqlite_store.url, "--channel", "telegram", "--out", str(tmp_path / "insights.html")
    )
    expected = truth(sqlite_store.conversations, NOW - 30 * DAY, NOW + 1, "telegram")["totals"]
    assert code == 0 and f"{expected['turns']} turns" in out
    assert (tmp_path / "insights-unanswered.csv").read_text().startswith("count,example,guessed_topic")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--since", "yesterday"], "not a period"),
        (["--until", "2024-13-45"], "is not a date"),
        (["--since", "2024-05-02", "--until", "2024-05-01"], "the period is empty"),
        (["--channel", "<script>"], "is not a channel name"),
    ],
)
def test_malformed_options_are_refused_with_a_reason(capsys, tmp_path, args, message):
    code, _, err = run_cli(capsys, *args, "--db-url", f"sqlite:///{tmp_path / 'x.db'}")
    assert code == 2 and message in err


def test_a_retention_setting_that_is_not_a_period_is_refused(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("BACKCARE_RETENTION", "one month")
    code, _, err = run_cli(capsys, "--db-url", f"sqlite:///{tmp_path / 'x.db'}")
    assert code == 2 and "BACKCARE_RETENTION" in err


def _corrupt(url: str) -> None:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
                "VALUES ('broken', 'user', :ts, 'greet', NULL, :data)"
            ),
            {"ts": NOW - DAY, "data": '{"event": "user", "te'},
        )
        connection.execute(
            sa.text(
                "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
                "VALUES ('broken', 'bot', :ts, NULL, NULL, '[1, 2')"
            ),
            {"ts": NOW - DAY + 1},
        )


def _check_corrupted(url: str, conversations) -> None:
    _corrupt(url)
    report = build_report(open_store(url), Period(NOW - 20 * DAY, NOW), SETTINGS, now=NOW)
    assert report.skipped_rows == 2
    expected = truth(conversations, NOW - 20 * DAY, NOW)
    # the unreadable user row still starts a turn (its columns are readable); its channel is unknown
    assert report.totals()["turns"] == expected["totals"]["turns"] + 1
    assert "2 stored events were not valid JSON" in render_html(report)


def test_a_corrupted_row_on_sqlite_is_left_out_and_reported(tmp_path, domain):
    from bot.rasa.tracker_store import LeanSQLTrackerStore

    conversations = population(NOW, n=15, seed=3)
    store = LeanSQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "c.db"))
    save_all(store, conversations)
    store.engine.dispose()
    _check_corrupted(f"sqlite:///{tmp_path / 'c.db'}", conversations)


@pytest.mark.services
def test_a_corrupted_row_on_postgresql_is_left_out_and_reported(domain):
    require_postgres()
    from bot.rasa.durable_tracker_store import DurableSQLTrackerStore

    conversations = population(NOW, n=15, seed=3)
    with scratch_database("backcare_insights") as database:
        store = DurableSQLTrackerStore(domain=domain, host="127.0.0.1", port=5432, db=database, username="postgres")
        save_all(store, conversations)
        store.engine.dispose()
        _check_corrupted(pg_url(database), conversations)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_postgresql_is_named_in_one_line(capsys, tmp_path):
    url = f"postgresql://backcare:secret-pw@127.0.0.1:{_closed_port()}/backcare"
    code, _, err = run_cli(capsys, "--db-url", url, "--out", str(tmp_path / "r.html"))
    assert code == 1
    assert err.startswith("error: cannot read the conversation store postgresql://backcare:***@127.0.0.1:")
    assert "secret-pw" not in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "r.html").exists()


def test_an_sqlite_store_that_cannot_be_opened_is_named(capsys, tmp_path):
    code, _, err = run_cli(
        capsys, "--db-url", f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}", "--out", str(tmp_path / "r.html")
    )
    assert code == 1 and "cannot read the conversation store sqlite:///" in err


def test_dates_and_spans_are_read_as_people_write_them():
    period = period_from("2024-05-01", "2024-05-07", "Telegram", SETTINGS, now=NOW)
    assert period.until - period.since == 7 * DAY and period.channel == "telegram"
    assert period_from("2w", None, None, SETTINGS, now=NOW).since == pytest.approx(NOW - 14 * DAY)
    assert period_from(None, None, "", SETTINGS, now=NOW).since == pytest.approx(NOW - 30 * DAY)
    with pytest.raises(BadRequest):
        period_from("2024-05-01", "2024-04-01", None, SETTINGS, now=NOW)
