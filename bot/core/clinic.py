"""The clinic's configuration: its contact details and its country's numbers.

Read from `content/clinic.yml` so a clinic changes its details without
touching code or retraining; unset values read as "not configured" so the
assistant never invents a phone number or a price.

The emergency number, urgent-care service and crisis lines come from the
region pack the clinic names with `region:` (see bot.core.regions); clinic.yml may
still set `emergency_number`, `urgent_care` or `crisis_line` itself, which
then wins over the pack.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import yaml

from bot.core import settings
from bot.core.config import Settings, or_current
from bot.core.regions import DEFAULT_REGION, Region, RegionError, load_region

NOT_CONFIGURED = "not configured yet"


@dataclass(frozen=True)
class Clinic:
    name: str = "our clinic"
    phone: Optional[str] = None
    email: Optional[str] = None
    website: Optional[str] = None
    booking_url: Optional[str] = None
    address: Optional[str] = None
    opening_hours: Optional[str] = None
    prices: Optional[str] = None
    emergency_number: str = "999"
    urgent_care: str = "NHS 111"
    crisis_line: str = "Samaritans on 116 123"
    disclaimer: str = "This is general information, not medical advice."
    allowed_origins: tuple[str, ...] = field(default_factory=tuple)
    # The region pack's code (content/regions/<code>.yml) and what it says.
    region: str = DEFAULT_REGION
    crisis_text_line: Optional[str] = "SHOUT to 85258"  # what follows "text" in a reply

    @property
    def region_pack(self) -> Region:
        """The full region pack (all crisis lines with their sources)."""
        return load_region(self.region)

    def response_variables(self) -> dict[str, str]:
        """The `{clinic_*}` variables that domain responses may use."""
        values = {
            "name": self.name,
            "phone": self.phone,
            "email": self.email,
            "website": self.website,
            "booking_url": self.booking_url,
            "address": self.address,
            "opening_hours": self.opening_hours,
            "prices": self.prices,
            "emergency_number": self.emergency_number,
            "urgent_care": self.urgent_care,
            "crisis_line": self.crisis_line,
            "crisis_text_line": self.crisis_text_line or self.crisis_line,
            "region": self.region,
            "disclaimer": self.disclaimer,
        }
        variables = {f"clinic_{k}": (v if v else NOT_CONFIGURED) for k, v in values.items()}
        variables["clinic_contact"] = self.contact_text()
        return variables

    def contact_text(self) -> str:
        """The configured contact details, or an honest note that there are none yet."""
        lines = self.contact_lines()
        if not lines:
            return f"The clinic's contact details have not been set up in this assistant yet, so please contact {self.name} directly."
        return "\n".join(lines)

    def contact_lines(self) -> list[str]:
        """Human-readable contact details, only those the clinic configured."""
        labelled = [
            ("Phone", self.phone),
            ("Email", self.email),
            ("Book online", self.booking_url),
            ("Address", self.address),
            ("Opening hours", self.opening_hours),
            ("Website", self.website),
        ]
        return [f"{label}: {value}" for label, value in labelled if value]


class ClinicConfigError(ValueError):
    pass


def load_clinic(path: Path | None = None, regions_dir: Path | None = None) -> Clinic:
    path = Path(path or settings.CLINIC_FILE)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        return Clinic()
    except yaml.YAMLError as exc:
        raise ClinicConfigError(f"{path}: {exc}") from exc
    data = raw.get("clinic") if isinstance(raw, dict) else None
    if not isinstance(data, dict):
        raise ClinicConfigError(f"{path}: expected a mapping under the key 'clinic'")
    known = set(Clinic.__dataclass_fields__)
    unknown = sorted(set(data) - known)
    if unknown:
        raise ClinicConfigError(f"{path}: unknown keys {', '.join(unknown)}")
    values = {k: v for k, v in data.items() if v is not None}
    if "allowed_origins" in values:
        values["allowed_origins"] = tuple(values["allowed_origins"])
    for key, value in values.items():
        if key != "allowed_origins" and not isinstance(value, str):
            values[key] = str(value)
    values["region"] = str(values.get("region") or DEFAULT_REGION).lower()
    try:
        pack = load_region(values["region"], regions_dir)
    except RegionError as exc:
        raise ClinicConfigError(f"{path}: region: {exc}") from exc
    # The pack supplies the country's numbers unless clinic.yml sets them itself.
    values.setdefault("emergency_number", pack.emergency_number)
    values.setdefault("urgent_care", pack.urgent_care)
    values.setdefault("crisis_line", pack.crisis_line)
    values.setdefault("crisis_text_line", pack.crisis_text_line)
    return Clinic(**values)


def clinic(settings: Optional[Settings] = None) -> Clinic:
    """The clinic's details (content/clinic.yml and its region pack), read once per settings."""
    s = or_current(settings)
    return s.cached("clinic", lambda: load_clinic(s.clinic_file, regions_dir=s.regions_dir))
