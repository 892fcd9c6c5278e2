"""Hypothesis strategies for fuzzing: hostile JSON values, structure-aware and byte mutations.

`mutated(value)` changes a copy of a recorded item or a parsed file in one to four places (a value
swapped for a hostile one, a key or element dropped, a value wrapped or turned to text);
`mutated_bytes(data)` truncates, flips, inserts or deletes bytes. The hostile values are
what files and providers really send wrong: huge and negative numbers, NaN and infinities,
empty and very long text, control characters, `$`-keys, deep nesting, the wrong type.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

Path = tuple[Any, ...]

EDGE_TEXT = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "1e400",
        "NaN",
        "true",
        "null",
        "[",
        "{",
        '{"a": [1, 2',
        "[1, 2, 3]",
        "a=b;c",
        "=;=",
        "x" * 5000,
        "\x00",
        "\u202e\ufeff",
        "é" * 40,
        "i-0123456789abcdef0",
        "vol-0123456789abcdef0",
        "10.0.0.1",
        "::1",
        "2026-01-01T00:00:00Z",
        "not-a-date",
        "8.00 GB",
        "1e3 XB",
        "$oid",
        "../../etc/passwd",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, -1, 2**31, 2**63, 2**64, 10**30]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    EDGE_TEXT,
)
INSERTED = [b"{", b"[", b'"', b",", b"\\", b"\x00", b"\xff", b"\n", b";"]
KEYS = st.one_of(st.text(max_size=12), st.sampled_from(["$date", "$oid", "$set", "", "_id", "name", "id"]))


def json_values(max_leaves: int = 12) -> st.SearchStrategy[Any]:
    """Any JSON-shaped value, scalars biased to the hostile ones."""
    return st.recursive(
        SCALARS,
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(KEYS, children, max_size=4),
        ),
        max_leaves=max_leaves,
    )


def hostile_values() -> st.SearchStrategy[Any]:
    """A replacement for one value: any JSON value, a deep nest, a datetime, an odd object."""
    return _HOSTILE


# Ready-made hostile values: cheap to draw at every path of a large item.
LEAVES: list[Any] = [
    None,
    True,
    0,
    -1,
    2**63,
    -(2**64),
    1.5,
    float("nan"),
    float("inf"),
    "",
    " ",
    "x" * 5000,
    "\x00",
    "é",
    "1e400",
    "8.00 GB",
    "2026-01-01T00:00:00Z",
    "not-a-date",
    "10.0.0.1",
    "i-0123456789abcdef0",
    [],
    [None],
    ["a", 1],
    {},
    {"$date": "not a date"},
    {"a": {"b": [1, {"c": None}]}},
    dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
]


def leaves() -> st.SearchStrategy[Any]:
    """One ready-made hostile value (or a deep nest now and then)."""
    return _LEAVES


def _nested(depth: int) -> Any:
    value: Any = "deep"
    for level in range(depth):
        value = [value] if level % 2 else {"a": value}
    return value


def _children(value: Any) -> list[tuple[Any, Any]]:
    if isinstance(value, dict):
        return list(value.items())
    if isinstance(value, list):
        return list(enumerate(value))
    return []


def _copied(value: Any) -> Any:
    """A copy of the dicts and lists of `value`; other objects (datetimes, enums) shared.
    Iterative: the values are nested hundreds deep on purpose."""
    if not isinstance(value, dict | list):
        return value
    root: Any = {} if isinstance(value, dict) else []
    stack = [(value, root)]
    while stack:
        source, target = stack.pop()
        for key, child in _children(source):
            copy: Any = child
            if isinstance(child, dict | list):
                copy = {} if isinstance(child, dict) else []
                stack.append((child, copy))
            if isinstance(target, dict):
                target[key] = copy
            else:
                target.append(copy)
    return root


_LEAVES = st.one_of(st.sampled_from(LEAVES), st.just(_nested(300)))
# Built once: a recursive strategy costs more to set up than to draw from. Each value drawn
# is a copy of its own, so a mutation that changes it in place changes no later draw.
_HOSTILE = st.one_of(
    json_values(),
    st.integers(min_value=50, max_value=400).map(_nested),
    st.just(dt.datetime(2026, 1, 1, tzinfo=dt.UTC)),
    st.just({"$date": "not a date"}).map(_copied),
    st.just({"$oid": "zz"}).map(_copied),
)


def count_places(value: Any) -> int:
    """How many places a JSON-shaped value has: itself, and every value inside it."""
    count, todo = 0, [value]
    while todo:
        node = todo.pop()
        count += 1
        if isinstance(node, dict):
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    return count


def place_at(value: Any, index: int) -> Path:
    """The path to the `index`-th place of `value`, depth first (0: the root itself).

    Walks only up to that place: a large item has many, and only one is wanted."""
    path: list[Any] = []
    stack = [iter(_children(value))]
    while index:
        for step, child in stack[-1]:
            index -= 1
            path.append(step)
            stack.append(iter(_children(child)))
            break
        else:  # this node's places are all behind: back to its parent
            stack.pop()
            path.pop()
    return tuple(path)


def _parent(value: Any, path: Path) -> Any:
    for step in path[:-1]:
        value = value[step]
    return value


@st.composite
def mutated(draw: st.DrawFn, value: Any, *, keep_root: bool = True) -> Any:
    """`value` (deep-copied) with one to four places changed."""
    result = _copied(value)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        # A place drawn by its index (the root left out if kept).
        skipped = 1 if keep_root else 0
        places = count_places(result) - skipped
        if not places:
            break
        path = place_at(result, skipped + draw(st.sampled_from(range(places))))
        action = draw(st.sampled_from(["replace", "replace", "drop", "wrap", "text", "add"]))
        if not path:
            result = draw(hostile_values())
            continue
        parent, step = _parent(result, path), path[-1]
        if action == "replace":
            parent[step] = draw(hostile_values())
        elif action == "drop":
            del parent[step]
        elif action == "wrap":
            parent[step] = [parent[step]] if draw(st.booleans()) else {"value": parent[step]}
        elif action == "text":
            parent[step] = str(parent[step])
        elif isinstance(parent[step], dict):
            parent[step][draw(KEYS)] = draw(hostile_values())
        elif isinstance(parent[step], list):
            parent[step].append(draw(hostile_values()))
        else:
            parent[step] = draw(hostile_values())
    return result


@st.composite
def mutated_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    """`data` truncated, or with bytes flipped, inserted or deleted (one to four edits)."""
    buffer = bytearray(data)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        if not buffer:
            buffer.extend(draw(st.binary(min_size=1, max_size=8)))
            continue
        at = draw(st.integers(min_value=0, max_value=len(buffer) - 1))
        action = draw(st.sampled_from(["truncate", "flip", "insert", "delete"]))
        if action == "truncate":
            del buffer[at:]
        elif action == "flip":
            buffer[at] = draw(st.integers(min_value=0, max_value=255))
        elif action == "insert":
            buffer[at:at] = draw(st.sampled_from(INSERTED))
        else:
            del buffer[at]
    return bytes(buffer)
