"""Drive pgqueuer through the same work as `ops/bench/queue`: enqueue N no-op
jobs, drain them with W worker processes, print the timings as JSON.

Anchor for the benchmark only (installed into the ignored .venv-bench/),
never a dependency of marketmap.
"""
import asyncio
import json
import multiprocessing
import sys
import time
from datetime import timedelta

import asyncpg
from pgqueuer import AsyncpgDriver, Queries, QueueManager
from pgqueuer.domain.types import QueueExecutionMode

DSN = sys.argv[1]
JOBS = int(sys.argv[2])
WORKERS = int(sys.argv[3])
BATCH = int(sys.argv[4])


async def prepare() -> float:
    conn = await asyncpg.connect(DSN)
    queries = Queries(AsyncpgDriver(conn))
    try:
        await queries.uninstall()
    except Exception:
        pass
    await queries.install()
    started = time.monotonic()
    chunk = 10_000
    for offset in range(0, JOBS, chunk):
        n = min(chunk, JOBS - offset)
        await queries.enqueue(["noop"] * n, [None] * n, [0] * n)
    elapsed = time.monotonic() - started
    await conn.close()
    return elapsed


async def drain() -> None:
    conn = await asyncpg.connect(DSN)
    qm = QueueManager(Queries(AsyncpgDriver(conn)))

    @qm.entrypoint("noop")
    async def noop(job) -> None:
        return None

    await qm.run(dequeue_timeout=timedelta(seconds=1), batch_size=BATCH, mode=QueueExecutionMode.drain)
    await conn.close()


def worker() -> None:
    asyncio.run(drain())


async def remaining() -> int:
    conn = await asyncpg.connect(DSN)
    count = await conn.fetchval("SELECT count(*) FROM pgqueuer")
    await conn.close()
    return count


if __name__ == "__main__":
    enqueue_s = asyncio.run(prepare())
    started = time.monotonic()
    processes = [multiprocessing.Process(target=worker) for _ in range(WORKERS)]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    drain_s = time.monotonic() - started
    left = asyncio.run(remaining())
    print(json.dumps({"enqueue_s": enqueue_s, "drain_s": drain_s, "left": left}))
