"""Response generation that knows the clinic's details.

Domain responses (greetings, hand-off, and above all the emergency replies,
which must work without the action server) use `{clinic_*}` variables; this
generator fills them from `content/clinic.yml` at run time, so a clinic's
phone number or emergency number changes without retraining the model.
"""
from __future__ import annotations

from typing import Any, Dict, Optional, Text

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.utils.endpoints import EndpointConfig

from bot.core.clinic import clinic


class ClinicNLG(TemplatedNaturalLanguageGenerator):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, domain: Optional[Domain] = None) -> None:
        domain = domain or Domain.empty()
        super().__init__(domain.responses)
        self._clinic_vars = clinic().response_variables()

    def _fill_response(self, response: Dict[Text, Any], filled_slots: Optional[Dict[Text, Any]] = None,
                       **kwargs: Any) -> Dict[Text, Any]:
        """Fill variables everywhere except button payloads, whose JSON braces are not variables."""
        buttons = response.pop("buttons", None)
        filled = super()._fill_response(response, filled_slots, **kwargs)
        if buttons is not None:
            filled["buttons"] = buttons
        return filled

    def _response_variables(self, filled_slots: Dict[Text, Any], kwargs: Dict[Text, Any]) -> Dict[Text, Any]:
        variables = dict(self._clinic_vars)
        variables.update(super()._response_variables(filled_slots, kwargs))
        return variables
