"""The chaos run's small dataset: the benchmark's builder (bench/dataset.py) at a smaller size.

CHAOS_EMPLOYERS employers (default 4) of 100 apprenticeships each, a supervisor each, one RAPS
admin; 2 submitted logs per apprenticeship (single approvals take them) and CHAOS_BULK_ROUNDS
rounds (default 10) of 200 submitted logs per employer (each bulk approval takes one round of
one employer: 100 apprentices told, 100 e-mails). No notifications: every notification in the
database at the end was written by the run, and must have reached the sink.
Run inside Django (python -m chaos.dataset) with the run's database configured.
"""

import json
import os

from bench import dataset

EMPLOYERS = int(os.environ.get("CHAOS_EMPLOYERS", "4"))
dataset.EMPLOYERS = EMPLOYERS
dataset.APPRENTICESHIPS = 100 * EMPLOYERS
dataset.NOTIFICATIONS = 0
dataset.BULK_SUPERVISORS = EMPLOYERS
dataset.BULK_ROUNDS = int(os.environ.get("CHAOS_BULK_ROUNDS", "10"))


if __name__ == "__main__":
    result = dataset.build_base()
    # Logs 0 and 1 of each apprenticeship are submitted (bench/dataset_logs.py _yield_logs); the rest
    # approved, so that progress has something to read.
    result["logs"] = dataset.add_logs(0, 6, for_bulk=True)
    print("RESULT " + json.dumps(result), flush=True)
