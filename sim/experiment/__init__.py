"""Experiments: replications, seeding, executors, chunked result sets, resume."""
