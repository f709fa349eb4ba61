"""Data that is not in the built-in registry — an uploaded CSV, points added by clicking — held by the server
under a name made from its content, so that `load_dataset(config)`, the compute budget and every cache
keyed by a RunConfig treat it exactly like a built-in set.

**Names from content.** A RunConfig must say everything about a run in one hashable value, so the data's
name is "upload-" and 12 hex digits of a SHA-256 of the rows' source (the file and the columns chosen, or
the base rows and the added points). The same file uploaded by two students is one entry and one cache
line; any other file is another name. With 48 bits, two different files of the few a server sees share a
name with odds of about n²/2⁴⁹: never, in practice.

**Who holds the rows.** A session that uses an entry keeps it in its session state, and the registry sees
it through a weak reference for as long as any session does — so data in use cannot vanish in the middle
of a page, and data no session uses is freed with the last session. The registry itself keeps only the
last `KEEP_RECENT` entries strongly, within `KEEP_BYTES` (a student who closes the tab and uploads the same
file again within a minute finds it parsed). Per session that is at most one upload and one set of added
points, each at most ~8 MB (5,000 × 64 float64 rows and two cached splits).

**Worker processes.** Training and drawing happen in other processes (app/pool.py), which see a RunConfig
but not this registry. A pickled RunConfig therefore carries its custom data's `DatasetSpec` — sizes,
classes and title, never the rows (core.config `RunConfig.__reduce__`) — and unpickling it calls
`remember`, so a worker can check the config, estimate its cost and name its task. Rows reach a worker
only as the `Dataset` it is handed.

This module is plain Python: it stores objects and never builds one (core.uploads and core.added_points
do), so core.config and core.datasets can both import it.
"""

from __future__ import annotations

import hashlib
import re
import threading
import weakref
from collections import OrderedDict
from typing import TYPE_CHECKING, Protocol

from core.errors import ConfigError

if TYPE_CHECKING:
    from core.datasets import Dataset, DatasetSpec

PREFIX = "upload-"
NAME_DIGITS = 12
_NAME = re.compile(rf"{PREFIX}[0-9a-f]{{{NAME_DIGITS}}}")
KEEP_RECENT = 4
KEEP_BYTES = 24 * 1024 * 1024
MAX_SPECS = 256  # remembered specs: a few hundred bytes each
NOT_IN_A_LINK = ("a link cannot carry an uploaded file or points added on Your data; upload the file again "
                 "under Data → Dataset → Your CSV…")


class CustomData(Protocol):
    """What the registry holds: a name, the spec the budget and the sidebar read, and the split rows."""

    name: str
    spec: DatasetSpec
    nbytes: int  # the memory it holds, its cached splits included

    def dataset(self, data_seed: int) -> Dataset:
        """The standardized train/test split, as `core.datasets.load_dataset` returns it."""
        ...


_lock = threading.Lock()
_live: weakref.WeakValueDictionary[str, CustomData] = weakref.WeakValueDictionary()
_recent: OrderedDict[str, CustomData] = OrderedDict()
_specs: OrderedDict[str, DatasetSpec] = OrderedDict()


def content_name(*parts: bytes) -> str:
    """The registry name of data made from `parts` (each part length-prefixed, so no two splits of the
    same bytes collide): "upload-" and 12 hex digits."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return PREFIX + digest.hexdigest()[:NAME_DIGITS]


def is_custom_name(name: object) -> bool:
    """Whether `name` has the form of a custom data name (registered or not)."""
    return isinstance(name, str) and _NAME.fullmatch(name) is not None


def register(entry: CustomData) -> CustomData:
    """Make `entry` loadable by its name and return the registry's entry of that name: an entry already
    held (the same content, from another session) is reused, so equal data is one object."""
    with _lock:
        held = _live.get(entry.name)
        if held is None:
            held = entry
            _live[entry.name] = entry
        _recent[held.name] = held
        _recent.move_to_end(held.name)
        _remember(held.spec)
        while len(_recent) > 1 and (len(_recent) > KEEP_RECENT
                                    or sum(item.nbytes for item in _recent.values()) > KEEP_BYTES):
            _recent.popitem(last=False)  # the session that uses it still holds it
        return held


def lookup(name: str) -> CustomData | None:
    """The entry registered under `name`, if any session (or the recent list) still holds it."""
    with _lock:
        entry = _live.get(name)
        if entry is not None and name in _recent:
            _recent.move_to_end(name)
        return entry


def _remember(spec: DatasetSpec) -> None:
    _specs[spec.name] = spec
    _specs.move_to_end(spec.name)
    while len(_specs) > MAX_SPECS:
        _specs.popitem(last=False)


def remember(spec: DatasetSpec) -> None:
    """Know the sizes and classes of custom data whose rows live elsewhere (a RunConfig unpickled in a
    worker process brings its data's spec along)."""
    with _lock:
        _remember(spec)


def known_spec(name: str) -> DatasetSpec | None:
    """The spec of custom data registered or remembered in this process, or None."""
    entry = lookup(name)
    if entry is not None:
        return entry.spec
    with _lock:
        return _specs.get(name)


def is_known(name: object) -> bool:
    """Whether a RunConfig may name `name`: custom data this process holds or has been told about."""
    return is_custom_name(name) and known_spec(str(name)) is not None


def load(name: str, data_seed: int) -> Dataset:
    """The split rows of registered custom data, or a ConfigError saying the server no longer holds them."""
    entry = lookup(name)
    if entry is None:
        raise ConfigError("dataset", name, "uploaded data this server no longer holds; upload the file again")
    return entry.dataset(int(data_seed))
