"""The curated fact base: YAML source of truth, SQL storage, cached lookup."""
