"""The numpy baseline for bench/compare: Monte Carlo unavailability of
examples/topologies/three-tier.yaml, written the way a competent numpy user would.

Each chunk draws a (trials x components) matrix of uniforms, compares it with the
availabilities to get up/down states, combines the columns group by group with boolean
operations (a row sum for the 3-of-5 tier), and counts the rows where the system is down.
Chunks keep memory bounded (a 2^18 x 10 float64 matrix is 20 MB).

Usage: python bench/baseline.py TRIALS [SEED] [CHUNK]
Prints one JSON line: trials, failures, unavailability, elapsed_seconds (wall),
cpu_seconds (processor time of this process), component_trials_per_second (wall).
"""

import json
import sys
import time

import numpy as np

# three-tier.yaml: dns in series with a parallel pair of load balancers, 3 of 5 app
# servers, and a primary/replica database pair (MTTF 2000 h, MTTR 1 h each).
DB = 2000.0 / 2001.0
AVAILABILITY = np.array(
    [0.9999, 0.999, 0.999, 0.995, 0.995, 0.995, 0.995, 0.995, DB, DB]
)


def failures_in(rng, n):
    up = rng.random((n, AVAILABILITY.size)) < AVAILABILITY
    dns = up[:, 0]
    lb = up[:, 1] | up[:, 2]
    app = up[:, 3:8].sum(axis=1) >= 3
    db = up[:, 8] | up[:, 9]
    system = dns & lb & app & db
    return n - int(np.count_nonzero(system))


def main():
    trials = int(float(sys.argv[1]))
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    chunk = int(float(sys.argv[3])) if len(sys.argv) > 3 else 1 << 18
    rng = np.random.default_rng(seed)
    start = time.perf_counter()
    cpu = time.process_time()
    failures = 0
    done = 0
    while done < trials:
        n = min(chunk, trials - done)
        failures += failures_in(rng, n)
        done += n
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    print(
        json.dumps(
            {
                "trials": trials,
                "failures": failures,
                "unavailability": failures / trials,
                "elapsed_seconds": elapsed,
                "cpu_seconds": cpu,
                "component_trials_per_second": trials * AVAILABILITY.size / elapsed,
                "numpy": np.__version__,
                "chunk": chunk,
            }
        )
    )


if __name__ == "__main__":
    main()
