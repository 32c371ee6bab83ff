"""Leverage: a policy-scenario simulator."""
