"""Region packs end to end: with `region: us` or `region: au` in the clinic file, the emergency and crisis
replies (domain responses, rendered inside the Rasa server) and the country-specific facts follow it."""

from __future__ import annotations

import pytest

from bot.core.answers import button_payload
from bot.core.regions import load_region
from bot.run.harness import start_assistant

pytestmark = pytest.mark.e2e

EMERGENCY = "I can't feel my legs and I've wet myself"
CRISIS = "honestly I want to kill myself, the pain never stops"


@pytest.fixture(scope="module", params=["us", "au"])
def regional(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(f"region-{request.param}")
    clinic_file = tmp / "clinic.yml"
    clinic_file.write_text(f'clinic:\n  name: "Test clinic"\n  region: {request.param}\n', encoding="utf-8")
    running = start_assistant(tmp, extra_env={"BACKCARE_CLINIC_FILE": str(clinic_file)})
    yield request.param, running
    running.stack.stop()


def test_emergency_reply_uses_the_regions_number(regional):
    code, assistant = regional
    expected = {"us": "911", "au": "000"}[code]
    assert load_region(code).emergency_number == expected
    turn = assistant.ask(EMERGENCY)
    assert turn.custom["triage"] == "emergency"
    assert f"call {expected}" in turn.text
    assert turn.custom.get("call") == expected
    assert "999" not in turn.text


def test_crisis_reply_uses_the_regions_crisis_line(regional):
    code, assistant = regional
    expected = {"us": "988", "au": "13 11 14"}[code]
    turn = assistant.ask(CRISIS)
    assert turn.custom["triage"] == "emergency"
    assert expected in turn.text
    assert load_region(code).crisis_line in turn.text
    assert f"text {load_region(code).crisis_text_line}" in turn.text
    assert "Samaritans" not in turn.text and "116 123" not in turn.text


def test_country_specific_facts_come_from_the_regions_pack(regional):
    code, assistant = regional
    cost = assistant.ask(button_payload("practical.cost_insurance"))
    finding = assistant.ask(button_payload("therapist.finding"))
    if code == "us":
        assert "HSA" in cost.text and "licensed by each state" in finding.text
    else:
        assert "extras" in cost.text and "Ahpra" in finding.text
    assert "NHS" not in cost.text and "CNHC" not in finding.text
    # a shared fact tells the reader which emergency number applies here
    sciatica = assistant.ask(button_payload("condition.sciatica"))
    assert f"emergency number ({load_region(code).emergency_number})" in sciatica.text
