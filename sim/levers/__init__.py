"""Policy levers, one module each, registered by their YAML ``type``."""

from sim.levers import deployment, military_aid, pressure, safe_zone, sanctions, talks
from sim.levers.base import LEVERS, Lever, LeverSpec, register

__all__ = [
    "LEVERS",
    "Lever",
    "LeverSpec",
    "register",
    "deployment",
    "military_aid",
    "pressure",
    "safe_zone",
    "sanctions",
    "talks",
]
