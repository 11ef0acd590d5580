"""The runs of counted letters (scoring.words) read back from the cache folder are those worked out afresh."""

from __future__ import annotations

from tqcheck.scoring import words


def test_letter_runs_from_the_cache_equal_a_fresh_build(tmp_path, monkeypatch):
    """Built into an empty cache folder, then read back: the same runs and the same counted letters."""
    monkeypatch.setenv("TQCHECK_CACHE_DIR", str(tmp_path))
    words._counted_letters.cache_clear()
    try:
        built = words._counted_letters()
        assert list(tmp_path.glob("scoring-letters-*.pickle"))
        words._counted_letters.cache_clear()
        assert words._counted_letters().pattern == built.pattern
    finally:
        words._counted_letters.cache_clear()
    runs = words._letter_runs()
    assert (0x4E00, 0x9FFF) in runs and (0x3400, 0x4DBF) in runs and len(runs) == 17
    assert words.text_size("微信电商 WeChat", "zh").count == 5
