"""Region packs and the clinic's region: the numbers the safety replies use come from the selected pack."""

from __future__ import annotations

import pytest
import yaml

from bot.core.clinic import ClinicConfigError, load_clinic
from bot.core.regions import RegionError, available_regions, load_region, region_path


def _clinic_file(tmp_path, body: str):
    path = tmp_path / "clinic.yml"
    path.write_text("clinic:\n" + body, encoding="utf-8")
    return path


@pytest.mark.parametrize("code", available_regions())
def test_every_pack_has_a_call_line_and_a_text_line(code):
    region = load_region(code)
    assert region.emergency_number and region.urgent_care
    assert region.crisis_line and region.crisis_text_line
    # what follows "text" must be something one can text: it names a number
    assert any(ch.isdigit() for ch in region.crisis_text_line)


@pytest.mark.parametrize("code", ["us", "au", "ie"])
def test_the_clinic_takes_its_numbers_from_its_region(tmp_path, code):
    region = load_region(code)
    clinic = load_clinic(_clinic_file(tmp_path, f"  region: {code}\n"))
    variables = clinic.response_variables()
    assert variables["clinic_emergency_number"] == region.emergency_number != "999"
    assert variables["clinic_crisis_line"] == region.crisis_line
    assert variables["clinic_crisis_text_line"] == region.crisis_text_line
    assert variables["clinic_urgent_care"] == region.urgent_care != "NHS 111"


def test_without_a_region_the_clinic_is_in_the_uk(tmp_path):
    clinic = load_clinic(_clinic_file(tmp_path, "  name: x\n"))
    assert (clinic.region, clinic.emergency_number) == ("uk", load_region("uk").emergency_number)


def test_a_clinic_may_still_override_a_number(tmp_path):
    clinic = load_clinic(_clinic_file(tmp_path, '  region: au\n  urgent_care: "our partner GP clinic"\n'))
    assert clinic.urgent_care == "our partner GP clinic"
    assert clinic.emergency_number == load_region("au").emergency_number


def test_an_unknown_region_is_refused_with_the_known_ones(tmp_path):
    with pytest.raises(ClinicConfigError) as err:
        load_clinic(_clinic_file(tmp_path, "  region: xx\n"))
    assert "xx" in str(err.value) and "uk" in str(err.value)


def test_a_pack_without_a_text_line_is_refused(tmp_path):
    pack = yaml.safe_load(region_path("uk").read_text())
    pack["region"]["crisis_lines"] = [line for line in pack["region"]["crisis_lines"] if line["how"] == "call"]
    (tmp_path / "uk.yml").write_text(yaml.safe_dump(pack), encoding="utf-8")
    with pytest.raises(RegionError, match="text messages"):
        load_region("uk", tmp_path)
