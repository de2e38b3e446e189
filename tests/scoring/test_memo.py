"""The engine's one memo: bounded, least recently used first, forgotten when its owner moves."""
import pytest

from scoring.memo import Memo


def test_memo_drops_the_least_recently_used_entry_beyond_its_size():
    memo = Memo(maxsize=2)
    memo.put("a", 1)
    memo.put("b", 2)
    assert memo.get("a") == 1  # "a" is now the most recently used
    memo.put("c", 3)
    assert "b" not in memo
    assert memo.get("a") == 1 and memo.get("c") == 3
    assert len(memo) == 2


def test_memo_makes_a_missing_entry_once():
    memo = Memo(maxsize=None)
    calls = []
    for _ in range(3):
        assert memo.get_or_make("k", lambda: calls.append(1) or "v") == "v"
    assert calls == [1]


def test_memo_remembers_a_falsy_result_as_a_result():
    memo = Memo()
    calls = []
    for _ in range(2):
        assert memo.get_or_make("k", lambda: calls.append(1) or None) is None
    assert calls == [1]


def test_memo_forgets_everything_when_its_owner_version_moves():
    memo = Memo()
    memo.follow(1)
    memo.put("a", 1)
    memo.follow(1)
    assert memo.get("a") == 1
    memo.follow(2)
    assert memo.get("a") is None and len(memo) == 0


def test_memo_refuses_a_size_below_one():
    with pytest.raises(ValueError):
        Memo(maxsize=0)
