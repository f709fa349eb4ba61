"""The load test against an app that already runs (`load_test.py --url`), typically several replicas
behind a proxy (deploy/): their memory summed over the given processes, the tracebacks their logs gain,
and which replica served each session, read from the proxy's access log."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks._server import (
    RssSampler,
    rss_bytes,
)
from benchmarks._students import AFFINITY_COOKIE, SessionResult


class SumRssSampler(RssSampler):
    """The RSS of several process trees added up at each sample (their peak together), and each one's."""

    def __init__(self, pids: list[int]):
        super().__init__(pids[0])
        self.pids = pids
        self.peaks = dict.fromkeys(pids, 0)

    def sample(self) -> int:
        values = {pid: rss_bytes(pid) for pid in self.pids}
        for pid, value in values.items():
            self.peaks[pid] = max(self.peaks[pid], value)
        total = sum(values.values())
        if total:
            self.last = total
            self.peak = max(self.peak, total)
        return total


class NoMemory:
    """No --pids: the RSS is not measured (reported as nan), rather than guessed from process names."""

    peak = last = 0

    def sample(self) -> int:
        return 0

    def stop(self) -> None:
        pass


@dataclass
class ExternalServers:
    """What `measure` needs of a server, for one that runs already (`--url`): its URL, the memory of the
    given processes, and the tracebacks the given logs gain during the run."""

    url: str
    memory: Any
    log_paths: list[Path]
    access_log: Path | None
    _tracebacks_before: int = 0
    _access_log_offset: int = 0

    def _count_tracebacks(self) -> int:
        return sum(path.read_text(errors="replace").count("Traceback (most recent call last)")
                   for path in self.log_paths if path.exists())

    def tracebacks(self) -> int:
        return self._count_tracebacks() - self._tracebacks_before

    def log_tail(self, chars: int = 3000) -> str:
        return "\n".join(f"--- {path}\n{path.read_text(errors='replace')[-chars:]}"
                         for path in self.log_paths if path.exists()) or "(no --server-logs given)"

    def new_access_log_lines(self) -> list[str]:
        if self.access_log is None or not self.access_log.exists():
            return []
        with open(self.access_log, "rb") as log:
            log.seek(self._access_log_offset)
            return log.read().decode(errors="replace").splitlines()


@contextlib.contextmanager
def external_servers(url: str, pids: list[int], log_paths: list[Path],
                     access_log: Path | None) -> Iterator[ExternalServers]:
    memory = SumRssSampler(pids).start() if pids else NoMemory()
    servers = ExternalServers(url.rstrip("/"), memory, log_paths, access_log)
    servers._tracebacks_before = servers._count_tracebacks()
    if access_log is not None and access_log.exists():
        servers._access_log_offset = access_log.stat().st_size
    try:
        yield servers
    finally:
        memory.stop()


# One line of deploy/'s access log: `… "GET /_stcore/stream HTTP/1.1" 101 upstream=<addr> route=<key> …`.
# A request that failed over lists several upstreams ("a, b"): that is then not one replica.
ACCESS_LINE = re.compile(r'"(?P<method>\S+) (?P<path>[^ ?"]*)\S* [^"]*" (?P<status>\d{3}) '
                         r'upstream=(?P<upstream>.*?) route=(?P<route>\S+)')


def affinity(sessions: list[SessionResult], lines: list[str]) -> tuple[dict[str, int], list[str]]:
    """Sessions per replica (websocket upgrades, 101, by upstream) and the sessions whose requests did not
    all reach one and the same replica, read from the proxy's access log lines of this run."""
    upstreams: dict[str, set[str]] = {}
    streams: dict[str, list[str]] = {}
    for line in lines:
        match = ACCESS_LINE.search(line)
        if match is None:
            continue
        upstreams.setdefault(match["route"], set()).add(match["upstream"])
        if match["path"] == "/_stcore/stream" and match["status"] == "101":
            streams.setdefault(match["route"], []).append(match["upstream"])
    per_replica: dict[str, int] = {}
    problems = []
    for session in sessions:
        seen, opened = upstreams.get(session.route or "", set()), streams.get(session.route or "", [])
        if session.route is None:
            problems.append(f"session {session.index}: the proxy set no {AFFINITY_COOKIE} cookie")
        elif len(opened) != 1 or len(seen) != 1:
            problems.append(f"session {session.index} (route {session.route}): {len(opened)} websocket(s), "
                            f"requests served by {sorted(seen) or 'no replica in the log'}")
        else:
            per_replica[opened[0]] = per_replica.get(opened[0], 0) + 1
    return dict(sorted(per_replica.items())), problems

