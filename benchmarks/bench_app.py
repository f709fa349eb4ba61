"""How fast does each page answer, and how much chart data does it send? Measured headless with
Streamlit's AppTest (the real dashboard.py, no browser).

    python benchmarks/bench_app.py [--scenarios]

For every page of app.pages.PAGES, with the default settings (add --scenarios for every Scenario too):
- cold: the page's first run with st.cache_data cleared, so it includes training. Target ≤ 1.5 s.
- warm: a rerun served from the cache, median of 3. Target ≤ 0.3 s.
- payload: the bytes of the page's Plotly charts (each chart's JSON spec and config), which every
  session downloads on every rerun. Target ≤ 1.5 MB. "wire" is the same compressed as the websocket's
  per-message deflate compresses it (zlib, one message per chart); target ≤ 120 kB.
- CPU: the server process's own CPU time for the cold run and the warm rerun (`time.process_time`, all
  its threads; training happens in the pool's worker processes, whose CPU is reported apart as "pool").
  Targets ≤ 200 ms cold and ≤ 80 ms warm (issue 16).

AppTest runs the script in this process, without the websocket and browser, so real page loads are
somewhat slower; the ratios are for spotting regressions and outliers. The first run in a fresh process
also pays for imports (plotly, scikit-learn) and is reported separately, not held against a target.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import statistics
import sys
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st
from streamlit.testing.v1 import AppTest

from app.pages import HOME, PAGES, PageSpec
from app.runtime import import_everything
from app.scenarios import SCENARIOS
from app.state import config_from_state, widget_value
from core.config import RunConfig

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = ROOT / "dashboard.py"
COLD_TARGET_S = 1.5
WARM_TARGET_S = 0.3
PAYLOAD_TARGET_BYTES = 1.5e6
WIRE_TARGET_BYTES = 120e3
COLD_CPU_TARGET_S = 0.2
WARM_CPU_TARGET_S = 0.08
WARM_REPEATS = 3
DEFAULT = RunConfig()


@dataclass
class Result:
    page: str
    settings: str
    cold: float
    warm: float
    payload: int
    charts: int
    errors: list[str]
    wire: int = 0
    cold_cpu: float = 0.0
    warm_cpu: float = 0.0
    pool_cpu: float = 0.0


def timed(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def query_params(config: RunConfig) -> dict[str, str]:
    """The URL query params that reopen `config` (only the fields that differ from the defaults)."""
    params = {}
    for field in fields(RunConfig):
        value = getattr(config, field.name)
        if value != getattr(DEFAULT, field.name):
            params[field.name] = str(widget_value(field.name, value))
    return params


def cpu_timed(function: Callable[[], object]) -> tuple[float, float, float]:
    """(wall seconds, this process's CPU seconds, the pool workers' CPU seconds) of one call."""
    wall, cpu, pool = time.perf_counter(), time.process_time(), pool_cpu_seconds()
    function()
    return time.perf_counter() - wall, time.process_time() - cpu, pool_cpu_seconds() - pool


def pool_cpu_seconds() -> float:
    """CPU seconds used so far by this process's descendants (the training pool), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    parents = {os.getpid()}
    total = 0.0
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stats[int(entry.name)] = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
    grew = True
    while grew:
        children = {pid for pid, fields in stats.items() if int(fields[1]) in parents} - parents
        grew = bool(children)
        parents |= children
    for pid in parents - {os.getpid()}:
        total += (int(stats[pid][11]) + int(stats[pid][12])) / tick
    return total


def wire_bytes(at: AppTest) -> int:
    """The charts' bytes after per-message deflate (what a compressed websocket carries)."""
    return sum(len(zlib.compress(chart.proto.spec.encode() + chart.proto.config.encode(), 6))
               for chart in at.get("plotly_chart"))


def payload_bytes(at: AppTest) -> tuple[int, int]:
    """Total bytes of the Plotly charts' JSON specs (and their config) on the page, and their number."""
    charts = at.get("plotly_chart")
    size = sum(len(chart.proto.spec.encode()) + len(chart.proto.config.encode()) for chart in charts)
    return size, len(charts)


def errors(at: AppTest) -> list[str]:
    return [element.value for element in at.exception]


def measure(spec: PageSpec, settings: str = "defaults", config: RunConfig = DEFAULT) -> Result:
    at = AppTest.from_file(str(DASHBOARD), default_timeout=120)
    for key, value in query_params(config).items():
        at.query_params[key] = value
    if spec is HOME:
        st.cache_data.clear()
        cold, cold_cpu, pool = cpu_timed(at.run)
    else:
        at.run()  # AppTest can switch pages only after a first run
        st.cache_data.clear()
        at.switch_page(spec.path)
        cold, cold_cpu, pool = cpu_timed(at.run)
    problems = errors(at)
    ran = config_from_state(at.session_state)[0]
    if ran != config:
        problems.append(f"the app ran {ran}, not {config}")
    reruns = [cpu_timed(at.run) for _ in range(WARM_REPEATS)]
    warm = statistics.median(wall for wall, _, _ in reruns)
    warm_cpu = statistics.median(cpu for _, cpu, _ in reruns)
    problems += errors(at)
    payload, charts = payload_bytes(at)
    return Result(spec.title, settings, cold, warm, payload, charts, problems, wire_bytes(at), cold_cpu,
                  warm_cpu, pool)


def verdict(value: float, target: float) -> str:
    return f"{value / target:>6.2f}  {'ok' if value <= target else 'SLOW' if target < 100 else 'BIG'}"


def print_table(results: list[Result]) -> None:
    print(f"\n{'page':<22} {'settings':<46} {'cold s':>7} {'ratio':>6} {'':4} {'warm s':>7} {'ratio':>6} "
          f"{'':4} {'payload MB':>10} {'ratio':>6} {'':4} {'charts':>6}")
    for r in results:
        print(f"{r.page:<22} {r.settings[:46]:<46} {r.cold:>7.3f} {verdict(r.cold, COLD_TARGET_S)} "
              f"{r.warm:>7.3f} {verdict(r.warm, WARM_TARGET_S)} {r.payload / 1e6:>10.3f} "
              f"{verdict(r.payload, PAYLOAD_TARGET_BYTES)} {r.charts:>6}")
    print(f"targets: cold ≤ {COLD_TARGET_S} s, warm ≤ {WARM_TARGET_S} s (median of {WARM_REPEATS}), "
          f"payload ≤ {PAYLOAD_TARGET_BYTES / 1e6:g} MB; ratio = measured / target")
    print(f"\n{'page':<22} {'settings':<30} {'server CPU cold ms':>18} {'ratio':>6} {'':4} "
          f"{'warm ms':>8} {'ratio':>6} {'':4} {'pool CPU ms':>11} {'wire kB':>8} {'ratio':>6}")
    for r in results:
        print(f"{r.page:<22} {r.settings[:30]:<30} {r.cold_cpu * 1e3:>18.0f} "
              f"{verdict(r.cold_cpu, COLD_CPU_TARGET_S)} {r.warm_cpu * 1e3:>8.0f} "
              f"{verdict(r.warm_cpu, WARM_CPU_TARGET_S)} {r.pool_cpu * 1e3:>11.0f} {r.wire / 1e3:>8.1f} "
              f"{verdict(r.wire, WIRE_TARGET_BYTES)}")
    print(f"targets (issue 16): server CPU ≤ {COLD_CPU_TARGET_S * 1e3:.0f} ms cold, ≤ "
          f"{WARM_CPU_TARGET_S * 1e3:.0f} ms warm; charts on the wire ≤ {WIRE_TARGET_BYTES / 1e3:.0f} kB")


def quiet_streamlit() -> None:
    """Clearing the cache outside a server run makes Streamlit warn that there is no runtime; those
    warnings are expected here, so keep them out of the table. (A filter survives Streamlit resetting
    its loggers' levels.)"""
    expected = ("No runtime found", "missing ScriptRunContext")
    for name in ("streamlit.runtime.caching.cache_data_api",
                 "streamlit.runtime.scriptrunner_utils.script_run_context"):
        logging.getLogger(name).addFilter(lambda record: not any(s in record.getMessage() for s in expected))


def main() -> int:
    quiet_streamlit()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", action="store_true", help="also measure every Scenario on every page")
    args = parser.parse_args()

    st.cache_data.clear()
    import_everything(DASHBOARD.parent)  # what the server's warm-up imports (app/runtime.py)
    first = timed(lambda: AppTest.from_file(str(DASHBOARD), default_timeout=120).run())
    print(f"first run in this process (imports + training, not held against a target): {first:.2f} s")
    gc.freeze()  # as the server's warm-up does once it has imported everything

    runs = [("defaults", DEFAULT)]
    if args.scenarios:
        runs += [(scenario.name, scenario.config) for scenario in SCENARIOS]
    results = [measure(spec, name, config) for name, config in runs for spec in PAGES]
    print_table(results)

    failures = [r for r in results if r.cold > COLD_TARGET_S or r.warm > WARM_TARGET_S
                or r.payload > PAYLOAD_TARGET_BYTES]
    broken = [r for r in results if r.errors]
    for r in broken:
        print(f"\nERRORS on {r.page} ({r.settings}):")
        for message in r.errors:
            print(f"  {message}")
    print(f"\n{len(results) - len(failures)}/{len(results)} measurements within every target"
          + (f"; {len(broken)} with app errors" if broken else ""))
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
