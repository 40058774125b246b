"""Region packs: the numbers and services of the country a clinic is in.

A clinic in Dublin must not tell someone in crisis to ring the UK's NHS 111,
and one in Sydney must say 000, not 999. Each supported country has a pack in
`content/regions/<code>.yml` (emergency number, urgent-care service, crisis
lines, each with its sources, plus the facts that differ by country); the
clinic picks one with `region:` in `content/clinic.yml`.

Only the YAML is read here, never the database, so the emergency replies that
use these numbers keep working when the fact base is down.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import yaml

from bot.core import settings
from bot.core.config import Settings, or_current

DEFAULT_REGION = "uk"


class RegionError(ValueError):
    """A region that has no pack, or a pack that cannot be read."""


@dataclass(frozen=True)
class CrisisLine:
    name: str
    says: str  # what follows "talk to": "Samaritans on 116 123"
    how: str  # "call", "text" or "call or text"
    sources: tuple[str, ...]
    text: str = ""  # what follows "text": "SHOUT to 85258", "988"

    @property
    def calls(self) -> bool:
        return "call" in self.how

    @property
    def texts(self) -> bool:
        return "text" in self.how


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    emergency_number: str
    urgent_care: str
    crisis_lines: tuple[CrisisLine, ...]
    emergency_sources: tuple[str, ...] = ()
    urgent_care_sources: tuple[str, ...] = ()

    @property
    def crisis_line(self) -> str:
        """The line to talk to (by phone) for someone struggling to cope."""
        for line in self.crisis_lines:
            if line.calls:
                return line.says
        return self.crisis_lines[0].says if self.crisis_lines else ""

    @property
    def crisis_text_line(self) -> Optional[str]:
        """What follows "text" for a line that takes text messages ("SHOUT to 85258"); None if the pack has none."""
        for line in self.crisis_lines:
            if line.texts and line.text:
                return line.text
        return None


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value or ())


def region_from_mapping(data: dict) -> Region:
    """A Region from the `region:` mapping of a pack; raises RegionError naming what is missing."""
    code = str(data.get("code") or "")
    emergency = data.get("emergency") or {}
    urgent = data.get("urgent_care") or {}
    lines = []
    for item in data.get("crisis_lines") or ():
        if not isinstance(item, dict):
            raise RegionError(f"region '{code}': every crisis line must be a mapping")
        line = CrisisLine(
            name=str(item.get("name") or ""),
            says=str(item.get("says") or ""),
            how=str(item.get("how") or "call"),
            sources=_strings(item.get("sources")),
            text=str(item.get("text") or ""),
        )
        if line.calls and not line.says:
            raise RegionError(
                f"region '{code}': crisis line '{line.name}' takes calls, so it needs 'says' "
                "(what follows 'talk to', for example \"Samaritans on 116 123\")"
            )
        if line.texts and not line.text:
            raise RegionError(
                f"region '{code}': crisis line '{line.name}' takes texts, so it needs 'text' "
                "(what follows 'text', for example \"SHOUT to 85258\")"
            )
        lines.append(line)
    if not isinstance(emergency, dict) or not emergency.get("number"):
        raise RegionError(f"region '{code}': 'emergency: number:' is required")
    if not isinstance(urgent, dict) or not urgent.get("says"):
        raise RegionError(f"region '{code}': 'urgent_care: says:' is required")
    if not any(line.calls for line in lines):
        raise RegionError(f"region '{code}': a crisis line to call is required")
    if not any(line.texts for line in lines):
        # The self-harm reply offers a text line to people for whom talking is too hard.
        raise RegionError(f"region '{code}': a crisis line that takes text messages is required")
    return Region(
        code=code,
        name=str(data.get("name") or code),
        emergency_number=str(emergency["number"]),
        urgent_care=str(urgent["says"]),
        crisis_lines=tuple(lines),
        emergency_sources=_strings(emergency.get("sources")),
        urgent_care_sources=_strings(urgent.get("sources")),
    )


def region_path(code: str, regions_dir: Path | None = None) -> Path:
    return Path(regions_dir or settings.REGIONS_DIR) / f"{code}.yml"


def load_region(code: str, regions_dir: Path | None = None) -> Region:
    path = region_path(code, regions_dir)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        known = ", ".join(available_regions(regions_dir)) or "none"
        raise RegionError(f"no region pack '{code}' ({path} does not exist; packs: {known})") from None
    except yaml.YAMLError as exc:
        raise RegionError(f"{path}: {exc}") from exc
    data = raw.get("region") if isinstance(raw, dict) else None
    if not isinstance(data, dict):
        raise RegionError(f"{path}: expected a mapping under the key 'region'")
    region = region_from_mapping(data)
    if region.code != code:
        raise RegionError(f"{path}: the pack's code is '{region.code}', expected '{code}'")
    return region


def available_regions(regions_dir: Path | None = None) -> list[str]:
    return sorted(p.stem for p in Path(regions_dir or settings.REGIONS_DIR).glob("*.yml"))


def region(code: str = DEFAULT_REGION, settings: Optional[Settings] = None) -> Region:
    """A region pack, read once per settings."""
    s = or_current(settings)
    return s.cached(("region", code), lambda: load_region(code, s.regions_dir))
