"""A load generator, run as its own process: drives one endpoint for a fixed time at a fixed
concurrency and prints the latencies it saw.

Input (JSON on stdin): {"host", "port", "seconds", "concurrency", "requests": [{"method", "path",
"headers", "body"}]} — the requests are used round-robin (each thread from its own offset), so
a write can be sent with a different body each time.
"""

import http.client
import json
import sys
import threading
import time


def main() -> None:
    spec = json.load(sys.stdin)
    requests, deadline = spec["requests"], time.monotonic() + spec["seconds"]
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def worker(offset: int) -> None:
        own, own_errors = [], []
        connection = http.client.HTTPConnection(spec["host"], spec["port"], timeout=60)
        index = offset
        while time.monotonic() < deadline:
            request = requests[index % len(requests)]
            index += spec["concurrency"]
            body = json.dumps(request["body"]) if request.get("body") is not None else None
            started = time.perf_counter()
            try:
                connection.request(request["method"], request["path"], body=body, headers=request["headers"])
                response = connection.getresponse()
                response.read()
                elapsed = time.perf_counter() - started
                if response.status >= 400:
                    own_errors.append(f"{response.status} {request['method']} {request['path']}")
                own.append(elapsed)
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException) as error:
                own_errors.append(f"{type(error).__name__}: {error}")
                connection.close()
                connection = http.client.HTTPConnection(spec["host"], spec["port"], timeout=60)
        with lock:
            latencies.extend(own)
            errors.extend(own_errors)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(spec["concurrency"])]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    print(json.dumps({"latencies": latencies, "errors": errors[:20], "error_count": len(errors), "seconds": wall}))


if __name__ == "__main__":
    main()
