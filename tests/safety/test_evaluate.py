"""bot.safety.evaluate: metrics, reports, exit codes, and the REST mode against a fake server."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from bot.safety import evaluate as ev
from bot.safety.evaluate import Example, Outcome, summarise


def outcome(expected, predicted, note="plain"):
    return Outcome(Example(f"{expected}->{predicted}-{note}", expected, note), predicted)


def test_recall_counts_a_higher_level_as_caught_and_a_lower_one_as_missed():
    result = summarise(
        [
            outcome("emergency", "emergency"),
            outcome("urgent", "emergency"),
            outcome("urgent", "professional"),
            outcome("professional", "none"),
            outcome("none", "none"),
        ]
    )
    assert result["recall"] == {"emergency": 1.0, "urgent": 0.5, "professional": 0.0, "none": 1.0}
    assert result["exact"]["urgent"] == 0.0
    assert [m["text"] for m in result["misses"]] == ["urgent->professional-plain", "professional->none-plain"]
    assert not result["passed"]


def test_the_recall_table_lists_the_levels_present_most_severe_first():
    result = summarise([outcome("urgent", "emergency"), outcome("urgent", "urgent"), outcome("none", "none")])
    table = ev.recall_table(result)
    assert table[0].endswith("| exact level |") and table[1] == "|---|---:|---:|---:|"
    assert table[2:] == ["| urgent | 2 | 100.0% | 50.0% |", "| none | 1 | 100.0% | 100.0% |"]
    assert ev.recall_table(result, exact=False)[2:] == ["| urgent | 2 | 100.0% |", "| none | 1 | 100.0% |"]


def test_false_alarms_are_benign_or_professional_raised_to_an_alert():
    outcomes = [outcome("none", "none")] * 18 + [outcome("professional", "urgent"), outcome("none", "professional")]
    result = summarise(outcomes)
    assert result["false_alarm_rate"] == pytest.approx(1 / 20)
    assert result["passed"]  # 5% is allowed
    result = summarise(outcomes + [outcome("none", "emergency")])
    assert result["false_alarm_rate"] == pytest.approx(2 / 21)
    assert not result["passed"]


def test_labelled_set_loader_rejects_bad_rows(tmp_path):
    path = tmp_path / "set.yml"
    path.write_text('- text: "hi"\n  level: severe\n  note: plain\n', encoding="utf-8")
    with pytest.raises(ev.LabelledSetError, match="severe"):
        ev.load_labelled(path)
    path.write_text('- text: "hi"\n  level: none\n  note: chatty\n', encoding="utf-8")
    with pytest.raises(ev.LabelledSetError, match="chatty"):
        ev.load_labelled(path)


def test_main_in_process_writes_reports_and_exits_0(tmp_path, detector, monkeypatch):
    monkeypatch.setattr(ev, "in_process_predictor", lambda lexicon=None: lambda text: (detector.assess(text).level, ""))
    code = ev.main(["--out", str(tmp_path)])
    assert code == 0
    report = json.loads((tmp_path / "safety_eval.json").read_text())
    assert report["passed"] and report["recall"]["emergency"] == 1.0 and report["n"] >= 220
    markdown = (tmp_path / "safety_eval.md").read_text()
    assert "PASS" in markdown and "False alarms" in markdown


def test_main_exits_1_when_a_red_flag_is_missed(tmp_path, monkeypatch):
    monkeypatch.setattr(ev, "in_process_predictor", lambda lexicon=None: lambda text: ("none", ""))
    assert ev.main(["--out", str(tmp_path)]) == 1
    assert "FAIL" in (tmp_path / "safety_eval.md").read_text()


class FakeRasa(BaseHTTPRequestHandler):
    detector = None
    senders: list = []

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        assert self.path == "/webhooks/rest/webhook"
        FakeRasa.senders.append(body["sender"])
        level = FakeRasa.detector.assess(body["message"]).level
        reply = [
            {"recipient_id": body["sender"], "text": "..."},
            {
                "recipient_id": body["sender"],
                "custom": {"topic": "x", "triage": level, "sources": [], "disclaimer": True},
            },
        ]
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def test_main_over_rest_reads_the_envelope(tmp_path, detector):
    FakeRasa.detector, FakeRasa.senders = detector, []
    server = HTTPServer(("127.0.0.1", 0), FakeRasa)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        data = tmp_path / "small.yml"
        data.write_text(
            '- text: "cant pee"\n  level: emergency\n  note: typo\n'
            '- text: "will massage help my sciatica?"\n  level: none\n  note: plain\n',
            encoding="utf-8",
        )
        code = ev.main(["--url", f"http://127.0.0.1:{server.server_port}", "--out", str(tmp_path), "--data", str(data)])
    finally:
        server.shutdown()
    assert code == 0
    assert len(set(FakeRasa.senders)) == 2  # one sender per message
    report = json.loads((tmp_path / "safety_eval.json").read_text())
    assert report["mode"].startswith("end to end over REST")


def test_main_over_rest_unreachable_exits_2(tmp_path):
    assert ev.main(["--url", "http://127.0.0.1:9", "--out", str(tmp_path)]) == 2
