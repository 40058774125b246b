"""Measuring and building, outside the running assistant: `make eval`, `make eval-topics`, `make nlu-corpus`, `make eval-safety`, `make validate`.

These modules read the labelled sets next to the tests (tests/nlu/, the blind
batches) and start assistants through `bot.run.harness`; no module of the
runtime layers (`bot.core`, `bot.safety`, `bot.rasa`, `bot.run`) imports them.
"""
