"""Policy levers, one module each, registered by their YAML ``type``."""

from sim.levers import (
    ceasefire,
    conditional_support,
    deployment,
    guarantee,
    military_aid,
    pressure,
    safe_zone,
    sanctions,
    sanctions_threat,
    talks,
)
from sim.levers.base import LEVERS, Lever, LeverSpec, register

__all__ = [
    "LEVERS",
    "Lever",
    "LeverSpec",
    "register",
    "ceasefire",
    "conditional_support",
    "deployment",
    "guarantee",
    "military_aid",
    "pressure",
    "safe_zone",
    "sanctions",
    "sanctions_threat",
    "talks",
]
