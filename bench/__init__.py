"""Benchmarks: ours beside a stock `rasa init` bot, measured in the same run."""
