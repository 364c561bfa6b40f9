"""`make bench`: the portal at the size of a real intermediary sponsor, on PostgreSQL.

1. builds the dataset (bench/dataset.py) in its own database, at database speed;
2. serves the portal with gunicorn and production settings;
3. drives each endpoint from a separate load-generator process (bench/loadgen.py) for a fixed
   time at a fixed concurrency, and compares each endpoint's median latency with the floor's
   (an authenticated GET me/) in the same run: the floor runs for 15 s; then each endpoint runs
   in 3 slices of 5 s, each right after a 5 s slice of the floor, and its ratio is to those
   floor slices (a shared machine's speed drifts over a run; alternating cancels most of it);
   the floor's row pools every slice, and each row also gives its ratio to that pooled floor. The reads first, the writes (hour-log create, 20 apprentices taking turns;
   a bulk approval of 200 submitted logs, 10 supervisors taking turns) last, so that what
   they write does not change what the reads measure;
4. measures progress at 10,000 and at 1,000,000 logs, and the RAPIDS export's time and the
   server's memory growth while it streams;
5. writes bench/results.json and prints the same as a table.

Settings by environment: BENCH_DATABASE_URL, BENCH_SECONDS (per endpoint), BENCH_ROUNDS (slices of
it), BENCH_FLOOR_SLICE_SECONDS, BENCH_CONCURRENCY, BENCH_WORKERS (gunicorn), BENCH_PORT.
"""

import datetime
import json
import os
import threading
import time
import urllib.request

from bench.harness import (
    BULK_DESCRIPTION,
    BULK_SUPERVISORS,
    CONCURRENCY,
    DATABASE_URL,
    PORT,
    ROOT,
    SECONDS,
    TARGETS,
    WORKERS,
    WRITE_ENDPOINTS,
    Server,
    drive,
    login,
    manage,
    pooled,
    python_module,
    query_rows,
    recreate_database,
    rss_mb,
    say,
    with_adjacent_floor,
)


def endpoint_requests(tokens: dict, ids: dict) -> dict[str, list[dict]]:
    def get(path, token):
        return {"method": "GET", "path": path, "headers": {"X-Session-Token": token}}

    today = datetime.date.today()
    apprentices = list(enumerate(zip(tokens["apprentices"], ids["apprenticeships"], ids["processes"], strict=True)))
    creates = []
    # Apprentices take turns, so that the concurrent requests are different apprentices' (20 of
    # them, as in a sponsor's working day), not one apprentice's waiting on their own lock.
    for day in range(3, 303):  # 0.25 h a request: a day of one apprentice takes 76 more
        for n, (token, apprenticeship, process) in apprentices:
            creates.append(
                {
                    "method": "POST",
                    "path": "/api/v1/hour-logs/",
                    "headers": {"X-Session-Token": token, "Content-Type": "application/json"},
                    "body": {
                        "apprenticeship": apprenticeship,
                        "date": str(today - datetime.timedelta(days=day)),
                        "hours": "0.25",
                        "kind": "ojt",
                        "work_process": process,
                        "description": f"bench {n}",
                    },
                }
            )
    return {
        "floor": [get("/api/v1/me/", token) for token in tokens["apprentices"]],
        "progress": [
            get(f"/api/v1/apprenticeships/{a}/progress/", t)
            for t, a in zip(tokens["apprentices"], ids["apprenticeships"], strict=True)
        ],
        "hour_logs_list": [get("/api/v1/hour-logs/?page_size=50", tokens["supervisor"])],
        "hour_log_create": creates,
        "milestones_pending": [get("/api/v1/milestones/?status=pending", tokens["admin"])],
        "notifications_list": [get("/api/v1/notifications/", tokens["supervisor"])],
        "reports_summary": [get("/api/v1/reports/summary/", tokens["admin"])],
        "roster_200": [get("/api/v1/apprenticeships/?include=progress&page_size=200", tokens["admin"])],
        "review_queue": [
            get("/api/v1/review-queue/", tokens["admin"]),
            get("/api/v1/review-queue/", tokens["supervisor"]),
        ],
        "bulk_approve_200": bulk_approvals(tokens, ids),
    }


def bulk_approvals(tokens: dict, ids: dict) -> list[dict]:
    """One request per supervisor and round of the dataset's bulk logs (bench/dataset.py), each
    approving that supervisor's 200 fresh submitted logs; the rounds in turn, so that concurrent
    requests are different supervisors'. Each request is sent once (the run makes fewer than there
    are); the last is kept for the query count, which runs after."""
    return [
        {
            "method": "POST",
            "path": "/api/v1/hour-logs/approve/",
            "headers": {"X-Session-Token": tokens["supervisors"][employer], "Content-Type": "application/json"},
            "body": {"ids": batch},
        }
        for (_round, employer), batch in sorted(ids["bulk"].items())
    ]


def rapids_csv(server: Server, token: str) -> dict:
    pids = server.worker_pids()
    before = {pid: rss_mb(pid) for pid in pids}
    peak = dict(before)
    done = threading.Event()

    def sample():
        while not done.is_set():
            for pid in pids:
                peak[pid] = max(peak[pid], rss_mb(pid))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.monotonic()
    request = urllib.request.Request(
        f"http://127.0.0.1:{PORT}/api/v1/reports/rapids-apprentices.csv", headers={"X-Session-Token": token}
    )
    rows = 0
    with urllib.request.urlopen(request, timeout=300) as response:
        for _line in response:
            rows += 1
    seconds = time.monotonic() - started
    done.set()
    sampler.join()
    growth = max(peak[pid] - before[pid] for pid in pids)
    result = {"rows": rows - 1, "seconds": round(seconds, 2), "peak_rss_growth_mb": round(growth, 1)}
    say(f"rapids csv: {result}")
    return result


def main() -> None:
    began = time.monotonic()
    say(
        f"database {DATABASE_URL}; {SECONDS:.0f} s per endpoint at concurrency {CONCURRENCY}; {WORKERS} gunicorn workers"
    )
    recreate_database()
    manage("migrate", "--noinput", "-v", "0")
    say("building the dataset: base and the first 10,000 logs")
    base = python_module("bench.dataset", "base")

    server = Server()
    try:
        supervisor_apprenticeships = query_rows(
            "SELECT a.id, u.email, (SELECT id FROM apprenticeships_workprocess w WHERE w.program_id = a.program_id ORDER BY position LIMIT 1) "
            "FROM apprenticeships_apprenticeship a JOIN portal_user u ON u.id = a.apprentice_id "
            "JOIN sponsors_employer e ON e.id = a.employer_id WHERE e.name = 'Employer 00' ORDER BY u.email LIMIT 20"
        )
        ids = {
            "apprenticeships": [str(r[0]) for r in supervisor_apprenticeships],
            "processes": [str(r[2]) for r in supervisor_apprenticeships],
        }
        tokens = {
            "supervisors": {},
            "admin": login("admin@bench.example"),
            "supervisor": login("supervisor00@bench.example"),
            "apprentices": [login(r[1]) for r in supervisor_apprenticeships],
        }
        say("progress with 10,000 logs in the database")
        progress_requests = endpoint_requests(tokens, ids | {"bulk": {}})
        drive("floor (warm-up)", progress_requests["floor"], seconds=3)
        progress_10k = drive("progress at 10k logs", progress_requests["progress"])
    finally:
        server.stop()

    say("adding logs up to 1,000,000")
    more = python_module("bench.dataset", "more")
    ids["bulk"] = {}
    for log_id, employer, round_ in query_rows(
        "SELECT l.id, e.name, l.description FROM competencies_hourlog l JOIN sponsors_employer e ON e.id = l.employer_id "
        f"WHERE l.status = 'submitted' AND l.description LIKE '{BULK_DESCRIPTION} %' ORDER BY l.id"
    ):
        ids["bulk"].setdefault((round_, employer), []).append(str(log_id))
    server = Server()
    try:
        tokens["supervisors"] = {
            f"Employer {n:02d}": login(f"supervisor{n:02d}@bench.example") for n in range(BULK_SUPERVISORS)
        }
        requests = endpoint_requests(tokens, ids)
        drive("floor (warm-up)", requests["floor"], seconds=3)
        # The reads and the export first, on the dataset as built; the write last, so that the
        # 2,000-odd logs and notifications it adds (every one for the same 20 apprentices and
        # their one supervisor, whose lists are measured) do not change what the reads measure.
        # Each endpoint runs right after a slice of the floor, which its ratio is to.
        floors = [drive("floor", requests["floor"])]
        reads = [name for name in requests if name not in WRITE_ENDPOINTS and name != "floor"]
        measured = {name: with_adjacent_floor(name, requests[name], requests["floor"], floors) for name in reads}
        csv_result = rapids_csv(server, tokens["admin"])
        measured |= {
            name: with_adjacent_floor(name, requests[name], requests["floor"], floors, once=name == "bulk_approve_200")
            for name in WRITE_ENDPOINTS
        }
        measured["floor"] = pooled("floor", floors) | {"floor_p50_ms": None}
        endpoints = {name: measured[name] for name in requests}
    finally:
        server.stop()
    # A bulk approval's last request is one the run did not send (its logs are still submitted).
    counts = python_module(
        "bench.queries",
        stdin=json.dumps({name: spec[-1 if name == "bulk_approve_200" else 0] for name, spec in requests.items()}),
    )

    rows = []
    for name, outcome in endpoints.items():
        outcome = {key: value for key, value in outcome.items() if not key.startswith("_")}
        outcome["queries_per_request"] = counts[name]["queries"]
        floor = outcome["floor_p50_ms"] or endpoints["floor"]["p50_ms"]
        outcome["ratio_to_floor"] = round(outcome["p50_ms"] / floor, 2)
        outcome["ratio_to_pooled_floor"] = round(outcome["p50_ms"] / endpoints["floor"]["p50_ms"], 2)
        rows.append(outcome)
    log_rows = base["logs"]["rows"] + more["logs"]["rows"]
    log_seconds = base["logs"]["seconds"] + more["logs"]["seconds"]
    results = {
        "dataset": {
            **base["counts"],
            "hour_logs": log_rows,
            "hour_logs_rows_per_second": round(log_rows / log_seconds),
            "base_seconds": round(base["seconds"], 1),
        },
        "endpoints": rows,
        "growth": {
            "progress_10k_p50_ms": progress_10k["p50_ms"],
            "progress_1m_p50_ms": endpoints["progress"]["p50_ms"],
            "ratio": round(endpoints["progress"]["p50_ms"] / progress_10k["p50_ms"], 2),
        },
        "rapids_csv": csv_result,
        "settings": {
            "seconds_per_endpoint": SECONDS,
            "concurrency": CONCURRENCY,
            "gunicorn_workers": WORKERS,
            "cpus": os.cpu_count(),
        },
        "targets": check_targets(rows, csv_result, progress_10k, endpoints),
        "total_seconds": round(time.monotonic() - began),
    }
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print_table(results)


def check_targets(rows, csv_result, progress_10k, endpoints) -> dict:
    writes = {"hour_log_create", "reports_summary"}
    misses = []
    for row in rows:
        limit = TARGETS.get(row["name"]) or (TARGETS["write"] if row["name"] in writes else TARGETS["read"])
        if row["name"] != "floor" and row["ratio_to_floor"] > limit:
            misses.append(f"{row['name']}: {row['ratio_to_floor']}x the floor (target {limit}x)")
        if row["errors"]:
            misses.append(f"{row['name']}: {row['errors']} errors")
    growth = endpoints["progress"]["p50_ms"] / progress_10k["p50_ms"]
    if growth > TARGETS["growth"]:
        misses.append(f"progress at 1M logs is {growth:.2f}x progress at 10k (target {TARGETS['growth']}x)")
    if csv_result["peak_rss_growth_mb"] >= TARGETS["csv_mb"]:
        misses.append(f"RAPIDS CSV grew memory by {csv_result['peak_rss_growth_mb']} MB (target < {TARGETS['csv_mb']})")
    return {"met": not misses, "misses": misses}


def print_table(results: dict) -> None:
    print()
    print(
        "| endpoint | requests | errors | rps | p50 ms | p99 ms | queries | floor p50 ms | × floor | × pooled floor |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in results["endpoints"]:
        print(
            f"| {row['name']} | {row['requests']} | {row['errors']} | {row['rps']} | {row['p50_ms']} | {row['p99_ms']} | "
            f"{row['queries_per_request']} | {row['floor_p50_ms'] or ''} | {row['ratio_to_floor']} | "
            f"{row['ratio_to_pooled_floor']} |"
        )
    growth, csv_result, dataset = results["growth"], results["rapids_csv"], results["dataset"]
    print(
        f"\nprogress p50: {growth['progress_10k_p50_ms']} ms at 10k logs, {growth['progress_1m_p50_ms']} ms at 1M ({growth['ratio']}x)"
    )
    print(
        f"RAPIDS CSV: {csv_result['rows']} rows in {csv_result['seconds']} s, server memory growth {csv_result['peak_rss_growth_mb']} MB"
    )
    print(
        f"dataset: {dataset['apprenticeships']} apprenticeships, {dataset['hour_logs']} hour logs at {dataset['hour_logs_rows_per_second']} rows/s"
    )
    targets = results["targets"]
    print("targets: " + ("all met" if targets["met"] else "MISSED: " + "; ".join(targets["misses"])))
    print(f"total: {results['total_seconds']} s")


if __name__ == "__main__":
    main()
