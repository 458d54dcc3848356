"""Signals of the core app, for the apps above it (core imports none of them)."""

from django.dispatch import Signal

# Sent by core.services.run_job when a job fails after a success (or on its first run), with
# `run` (the JobRun): the start of a failure streak, told once, not at every 5-minute retry.
job_started_failing = Signal()
