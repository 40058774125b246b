"""Input channels; each passes user text through `bot.rasa.channels.guard` first."""
