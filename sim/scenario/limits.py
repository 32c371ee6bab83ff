"""Upper bounds on the sizes of a scenario that must fit in memory.

Documented in docs/scenario-format.md ("Sizes") and checked by validation (the schema,
and ``sim.scenario.validate`` for the product). Kept free of imports so that the CLI can
use them in its options without loading the format.

One replication records (horizon + 1) x actors x (issues + 3) numbers and more (its time
series), and a chunk holds many replications; without bounds a horizon of 10^15 passes
validation and then fails inside every replication with a MemoryError of petabytes.
"""

#: steps: ~190 years of weekly steps.
MAX_HORIZON = 10_000
#: replications of one run: they are streamed to disk chunk by chunk, but their outcomes
#: (one row each) are loaded whole by ``sim compare`` and ``sim.load``.
MAX_REPLICATIONS = 1_000_000_000
#: actors, issues and sides: per-actor and per-issue series, pairwise leverage and ties.
MAX_ACTORS = 1_000
MAX_ISSUES = 100
MAX_SIDES = 100
#: numbers one replication records: (horizon + 1) x actors x (issues + 3) (checked in
#: ``sim.scenario.validate``): 50 million numbers, 400 MB.
MAX_RECORDED = 50_000_000
