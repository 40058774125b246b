"""Setting an intent over the classifier's choice, the one way both override components do it."""

from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message


def override_intent(message: Message, name: str) -> None:
    """Make `name` the intent at confidence 1.0, first in the ranking, the classifier's own ranking kept after it.

    The classifier's own guess stays in the parse result the conversation store keeps.
    """
    chosen = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
    ranking = [dict(item) for item in (message.get(INTENT_RANKING_KEY) or []) if item.get(INTENT_NAME_KEY) != name]
    message.set(INTENT, chosen, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [dict(chosen)] + ranking, add_to_output=True)
