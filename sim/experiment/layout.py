"""The names of a result set's files, shared by its writer (``store``) and its reader
(``sim.results``, which documents the format).
"""

from __future__ import annotations

#: the tables, each ``<name>.parquet`` (or, while a run goes on, a folder of chunk files).
TABLES = ("outcomes", "timeseries", "actors", "leverage")
MANIFEST = "manifest.json"
SCENARIO_FILE = "scenario.yaml"
