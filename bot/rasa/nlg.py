"""Response generation that knows the clinic's details.

Domain responses (greetings, hand-off, and above all the emergency replies,
which must work without the action server) use `{clinic_*}` variables; this
generator fills them from `content/clinic.yml` at run time, so a clinic's
phone number or emergency number changes without retraining the model.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.core.clinic import clinic
from bot.rasa import compat


class ClinicNLG(TemplatedNaturalLanguageGenerator):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, domain: Optional[Domain] = None) -> None:
        domain = domain or Domain.empty()
        super().__init__(domain.responses)
        self._clinic_vars = clinic().response_variables()

    async def generate(
        self, utter_action: str, tracker: DialogueStateTracker, output_channel: str, **kwargs: Any
    ) -> Optional[Dict[str, Any]]:
        """Rasa fills a response's variables from the slots and these keyword arguments (public API)."""
        return await super().generate(utter_action, tracker, output_channel, **{**self._clinic_vars, **kwargs})


# Button payloads hold JSON braces that are not variables (bot.rasa.compat).
compat.keep_button_payloads_unfilled(ClinicNLG)
