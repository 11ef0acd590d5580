"""TQ701 compares the links of a text one run of joined links at a time (``rules.source._joined_runs``): numbers
only move between neighbouring links of one paragraph, so the diffs are those of the whole text at once."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tqcheck.numbers import NumberDiff, NumberMention, compare_links, extract_numbers

# Small pieces whose numbers match, nearly match or miss each other across links: digits, Chinese units,
# years, percentages, numbers in words.
_SOURCE_PIECES = ["2015年", "300名", "4个", "5%", "2.17亿", "三", "", "公司"]
_TARGET_PIECES = ["2015", "300", "vier", "5 %", "217 Millionen", "drei", "", "Firma", "4"]

_links = st.lists(
    st.tuples(st.lists(st.sampled_from(_SOURCE_PIECES), max_size=3).map("，".join),
              st.lists(st.sampled_from(_TARGET_PIECES), max_size=3).map(" und ".join)),
    min_size=1, max_size=8)


def _fingerprint(diffs: list[NumberDiff]) -> list[tuple[tuple[int, ...], ...]]:
    """Each diff by the identities of its mentions: the same objects in the same places, not just equal ones."""
    def ids(mentions: list[NumberMention]) -> tuple[int, ...]:
        return tuple(map(id, mentions))

    def pair_ids(pairs: list[tuple[NumberMention, NumberMention]]) -> tuple[int, ...]:
        return tuple(id(m) for pair in pairs for m in pair)

    return [(ids(d.missing), ids(d.added), pair_ids(d.matched), ids(d.ignored), pair_ids(d.misread)) for d in diffs]


@settings(max_examples=300, deadline=None)
@given(_links, st.data())
def test_links_compared_run_by_run_give_the_diffs_of_the_whole(texts: list[tuple[str, str]], data: st.DataObject
                                                             ) -> None:
    joined = data.draw(st.lists(st.booleans(), min_size=len(texts) - 1, max_size=len(texts) - 1))
    mentions = [(extract_numbers(s, "zh"), extract_numbers(t, "de")) for s, t in texts]
    whole = compare_links(mentions, joined)
    by_runs: list[NumberDiff] = []
    start = 0
    for i in range(len(texts)):
        if i == len(texts) - 1 or not joined[i]:
            run = mentions[start:i + 1]
            by_runs += compare_links(run, [True] * (len(run) - 1))
            start = i + 1
    assert _fingerprint(by_runs) == _fingerprint(whole)
