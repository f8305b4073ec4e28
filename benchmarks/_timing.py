"""One way to time a job in the benchmarks: the median of repeated wall-clock runs."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_seconds(job: Callable[[], object], repeat: int) -> float:
    """The median wall time of `repeat` runs of job()."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        job()
        times.append(time.perf_counter() - t)
    return statistics.median(times)
