"""Resident memory of whole process groups, read from /proc (Linux)."""

from __future__ import annotations

from pathlib import Path


def group_rss_mb(pgids: set[int]) -> float:
    """Total resident memory of every process whose process group is in `pgids`."""
    total_kb = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) not in pgids:
                continue
            for line in (stat.parent / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return total_kb / 1024
