"""Pattern-oriented validation (Grimm et al. 2005): generated civil wars and the patterns
of the civil-war literature they should show (docs/validation.md).
"""

from sim.validation.generator import Design, War, build, draw_war, draw_wars, scenario_data
from sim.validation.patterns import DESIGNS, PATTERNS, Pattern, measure, run_designs
from sim.validation.ranges import HORIZON, MAX_FACTIONS, RANGES, Range

__all__ = [
    "DESIGNS",
    "HORIZON",
    "MAX_FACTIONS",
    "PATTERNS",
    "RANGES",
    "Design",
    "Pattern",
    "Range",
    "War",
    "build",
    "draw_war",
    "draw_wars",
    "measure",
    "run_designs",
    "scenario_data",
]
