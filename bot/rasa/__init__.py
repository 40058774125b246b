"""Rasa plug-ins: the server start, the NLU component, the NLG, the stores and the input channels.

Everything Rasa loads by class path (config.yml, endpoints*.yml,
credentials.yml) lives here, and every private Rasa internal it relies on is
reached through `bot.rasa.compat`.
"""
