"""The hour-log tests' fixtures (request bodies as clients send them), for the retries."""

from tests.hour_logs.conftest import front_end, log_as, ojt

__all__ = ["front_end", "log_as", "ojt"]
