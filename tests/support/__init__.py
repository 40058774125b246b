"""Helpers the tests share (the conftest modules keep fixtures only)."""
