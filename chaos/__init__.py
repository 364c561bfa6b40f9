"""`make chaos`: the portal's own fault run against real services (docs/operations.md, "Chaos run").

chaos/run.py drives it; chaos/services.py starts what it breaks (its own Redis servers, a Celery
worker and beat, an SMTP sink that counts each message by Message-ID, the session killer);
chaos/load.py is the clients; chaos/verify.py counts what was lost and doubled. It reuses the
benchmark's server and settings (bench/harness.py).
"""
