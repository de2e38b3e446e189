"""The engine's one memo: bounded, least recently used first, forgotten when its owner moves."""
import pytest

from scoring.memo import Memo, WeighedMemo


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


def test_weighed_memo_drops_least_recently_used_entries_until_their_weight_fits():
    memo = WeighedMemo(10, weigh=len)
    memo.put("a", "xxxx")
    memo.put("b", "xxxx")
    assert memo.get("a") == "xxxx"  # "b" is now the least recently used
    memo.put("c", "xxxx")
    assert "b" not in memo and "a" in memo and "c" in memo and memo.weight == 8


def test_weighed_memo_returns_but_does_not_keep_an_entry_heavier_than_its_bound():
    memo = WeighedMemo(3, weigh=len)
    assert memo.get_or_make("k", lambda: "xxxx") == "xxxx"
    assert "k" not in memo and memo.weight == 0


def test_weighed_memo_forgets_its_weight_with_its_entries():
    memo = WeighedMemo(10, weigh=len)
    memo.follow(1)
    memo.put("a", "xxx")
    memo.follow(2)
    assert len(memo) == 0 and memo.weight == 0
