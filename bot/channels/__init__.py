"""Input channels; each passes user text through `bot.channels.guard` first."""
