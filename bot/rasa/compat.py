"""Every private part of Rasa this project relies on, in one place, and the versions it was written for.

Like spaCy's `compat.py`: the rest of `bot.rasa` asks here instead of reaching
into Rasa itself, so an upgrade has one module to read (docs/architecture.md,
"Upgrading Rasa") and tests/runtime/test_compat.py pins every signature used.

The touchpoints, all in Rasa 3.6.21:

- `RemoteAction._validate_action_result` (patched): each action-server reply is
  validated against a schema checked once, not at every call.
- `RasaModel.load` (patched): TensorFlow models are loaded for prediction
  without a training step (docs/performance.md).
- `rasa.shared.utils.validation.validate_training_data` (patched): each entity
  annotation of the NLU data is validated against a schema checked once, not
  at every annotation (docs/performance.md, training).
- `rasa.engine.training.graph_trainer.TrainingHook` (replaced): training keeps
  no cache of Rasa's own (docs/performance.md, training).
- `SQLTrackerStore._additional_events` (called): the lean store's fallback
  for a save without a read before it.
- `TemplatedNaturalLanguageGenerator._fill_response` (overridden): button
  payloads (JSON braces) are left out of variable filling.
- `FailSafeTrackerStore._tracker_store` (read): the insights page finds the
  server's own database behind Rasa's wrappers.

On any other version of Rasa and the libraries listed in `WRITTEN_FOR`, or
with `BACKCARE_STOCK_RASA=1`, `enabled()` is False, a single log line says so,
and nothing is patched: Rasa runs as shipped, slower and with the same
answers. `bot.safety.compat` does the same for medspaCy.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, Dict, Iterable, Optional

from bot.core.versions import patches_allowed

WRITTEN_FOR = {
    "rasa": "3.6.21",
    "rasa-sdk": "3.6.",
    "sanic": "21.12.",
    "jsonschema": "4.17.",
    "tensorflow": "2.12.",
    "SQLAlchemy": "1.4.",
}
_PATCHED_MARK = "_backcare_fixed"  # tests/runtime/test_rasa_server.py resets it


@lru_cache(maxsize=1)
def enabled() -> bool:
    """True when the shortcuts below may be used in this process (checked and logged once)."""
    return patches_allowed("bot.rasa.compat", WRITTEN_FOR)


# --- Rasa server and training: action replies, model loading, reading the NLU data ---------


def _checked_validator(schema: Dict[str, Any]) -> Any:
    """What `jsonschema.validate` builds at every call: the schema's validator class, the schema checked first."""
    from jsonschema import validators

    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _validate_replies_with_a_compiled_schema() -> None:
    from jsonschema.exceptions import best_match
    from rasa.core.actions.action import RemoteAction

    validator = _checked_validator(RemoteAction.action_response_format_spec())
    stock = RemoteAction._validate_action_result

    def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
        error = best_match(validator.iter_errors(result))
        if error is None:
            return True
        return stock(self, result)  # Rasa's own path raises its own, documented error

    RemoteAction._validate_action_result = _validate_action_result


def _validate_training_data_with_checked_schemas() -> None:
    """Rasa reads every entity annotation written as a JSON dict (about 6,000 here)
    with `jsonschema.validate`, which first checks the schema itself against the
    meta-schema, and reads the data twice per training (for the NLU data and for
    the domain): 30 s of reading here, 11 s with each schema checked once. Every
    annotation is still validated against the same schema by the same validator
    class, and an invalid one gets Rasa's own error."""
    import json

    import rasa.shared.utils.validation as validation

    stock = validation.validate_training_data
    checked: Dict[str, Any] = {}

    def validate_training_data(json_data: Dict[str, Any], schema: Dict[str, Any]) -> None:
        key = json.dumps(schema, sort_keys=True, default=str)
        validator = checked.get(key)
        if validator is None:
            validator = checked[key] = _checked_validator(schema)
        if not validator.is_valid(json_data):
            stock(json_data, schema)  # Rasa's own path raises its own, documented error

    validation.validate_training_data = validate_training_data


class _NoTrainingCache:
    """Rasa's TrainingHook fingerprints every node's inputs and output so that a later
    training can reuse unchanged parts from its cache (.rasa/cache). Fingerprinting
    the featurized NLU data took half of the featurizers' time, 30 to 60 s of every
    training here, for a cache that a fresh machine, CI and `make bench` never hit:
    models are already named by the hash of their training data (bot/run/model.py).
    The price: a retrain after a change to stories or responses alone trains the
    NLU pipeline again instead of restoring it."""

    def __init__(self, **_: Any) -> None:
        pass

    def on_before_node(self, *_: Any, **__: Any) -> Dict[str, Any]:
        return {}

    def on_after_node(self, *_: Any, **__: Any) -> None:
        return None


def _train_without_rasas_training_cache() -> None:
    from rasa.engine.training import graph_trainer

    graph_trainer.TrainingHook = _NoTrainingCache


def _load_tensorflow_models_for_prediction_only() -> None:
    from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
    from rasa.utils.tensorflow.models import RasaModel

    stock = RasaModel.load.__func__

    def load(
        cls: type,
        model_file_name: str,
        model_data_example: Any,
        predict_data_example: Any = None,
        finetune_mode: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> RasaModel:
        if finetune_mode or predict_data_example is None:
            return stock(cls, model_file_name, model_data_example, predict_data_example, finetune_mode, *args, **kwargs)
        import tensorflow as tf

        config = kwargs.get("config", {})
        model = cls(*args, **kwargs)
        model.compile(
            optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)), run_eagerly=config.get(RUN_EAGERLY)
        )
        # A TensorFlow checkpoint restores each variable when the first prediction creates it.
        restored = model.load_weights(model_file_name)
        model.run_inference(predict_data_example)
        restored.expect_partial()  # the optimizer's slots, which prediction never creates
        try:
            restored.assert_existing_objects_matched()
        except AssertionError:  # a variable the checkpoint did not fill: Rasa's own way, whatever it costs
            return stock(cls, model_file_name, model_data_example, predict_data_example, finetune_mode, *args, **kwargs)
        return model

    RasaModel.load = classmethod(load)


def install_server_patches() -> bool:
    """Apply the four shortcuts to this process's Rasa (idempotent); False when Rasa runs as shipped."""
    from rasa.core.actions.action import RemoteAction

    if not enabled():
        return False
    if not getattr(RemoteAction, _PATCHED_MARK, False):
        _validate_replies_with_a_compiled_schema()
        _load_tensorflow_models_for_prediction_only()
        _validate_training_data_with_checked_schemas()
        _train_without_rasas_training_cache()
        setattr(RemoteAction, _PATCHED_MARK, True)
    return True


def server_patches_applied() -> bool:
    from rasa.core.actions.action import RemoteAction

    return bool(getattr(RemoteAction, _PATCHED_MARK, False))


# --- Tracker stores --------------------------------------------------------------------------


def additional_events(store: Any, session: Any, tracker: Any) -> Iterable[Any]:
    """The events of `tracker` not stored yet, counted the way Rasa's SQL store counts them."""
    return store._additional_events(session, tracker)


def wrapped_tracker_store(store: Any) -> Optional[Any]:
    """The store inside one of Rasa's wrappers (FailSafeTrackerStore, AwaitableTrackerStore), if any."""
    return getattr(store, "_tracker_store", None) or getattr(store, "tracker_store", None)


# --- NLG -------------------------------------------------------------------------------------


def keep_button_payloads_unfilled(nlg_class: type) -> bool:
    """Make `nlg_class` fill variables everywhere but in button payloads; False when left as shipped.

    Without it Rasa tries to fill a payload's JSON braces as variables, logs the
    failure and leaves the payload as it was: the same reply, a noisier log."""
    if not enabled():
        return False
    from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator

    stock: Callable[..., Dict[str, Any]] = TemplatedNaturalLanguageGenerator._fill_response

    def _fill_response(
        self: Any, response: Dict[str, Any], filled_slots: Optional[Dict[str, Any]] = None, **kwargs: Any
    ) -> Dict[str, Any]:
        buttons = response.pop("buttons", None)
        filled = stock(self, response, filled_slots, **kwargs)
        if buttons is not None:
            filled["buttons"] = buttons
        return filled

    nlg_class._fill_response = _fill_response
    return True
