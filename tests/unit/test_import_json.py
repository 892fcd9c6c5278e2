"""Reading an import file's JSON: a file cut anywhere says it is truncated, other errors say where."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.errors import ImportFormatError
from shared.importers import load_json

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"
RECORDED = [FIXTURES / "terraform" / "estate.tfstate", FIXTURES / "ansible" / "localhost.json"]


@pytest.mark.parametrize("path", RECORDED, ids=lambda p: p.name)
def test_a_recorded_file_cut_at_any_point_is_reported_as_truncated(path: Path) -> None:
    data = path.read_bytes().rstrip()
    for cut in range(1, len(data), max(1, len(data) // 997)):  # ~1,000 cut points, inside every kind of token
        with pytest.raises(ImportFormatError) as caught:
            load_json(data[:cut], path.name)
        assert "truncated" in str(caught.value) and path.name in str(caught.value), cut


@pytest.mark.parametrize(
    ("text", "where"),
    [(b'{"a": x}', "Expecting value at line 1 column 7"), (b'{"a": 1} x', "Extra data at line 1 column 10")],
)
def test_a_broken_file_that_is_not_cut_says_where_it_breaks(text: bytes, where: str) -> None:
    with pytest.raises(ImportFormatError) as caught:
        load_json(text, "broken.json")
    assert str(caught.value) == f"broken.json: not valid JSON: {where}"


@pytest.mark.timeout(20)
@pytest.mark.parametrize("tail", ["1" * 200_000 + "x", "9" * 100_000 + "e+x", "5" * 100_000 + ".5."])
def test_a_long_tail_of_digits_after_an_error_is_judged_in_linear_time(tail: str) -> None:
    # The error is at the tail's first digit; a pattern that backtracked over the tail took
    # seconds for 20 KB and would take hours for these.
    with pytest.raises(ImportFormatError, match=r"big\.json: not valid JSON: Expecting"):
        load_json(b'{"a": 1 ' + tail.encode(), "big.json")


def test_an_integer_beyond_pythons_digit_limit_is_a_format_error() -> None:
    with pytest.raises(ImportFormatError, match="a number has too many digits"):
        load_json(b'{"a": ' + b"7" * 5000 + b"}", "huge.json")
