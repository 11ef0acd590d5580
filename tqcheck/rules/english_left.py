"""How English left in a non-English text shows (TQ203): word evidence, names kept from an English source,
names the target language writes its own way.

English is the pivot language of most MT systems, and what they leave behind is English words, phrases and
names. The evidence is lexical (English-only words, English function words, words German shares with English),
the casing an English source gives the same words, and the packs' lists of names German translates (exonyms)
or keeps (loanwords, "keep" entries).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator
from functools import cached_property, lru_cache
from itertools import accumulate, pairwise
from typing import Any

from tqcheck import prefilter, regexcache
from tqcheck.chunking import whitespace_chunks
from tqcheck.packs import ExonymEntry
from tqcheck.prefilter import from_positions
from tqcheck.rules.base import WORD_RE, CheckContext, Finding, derived, earliest_longest
from tqcheck.types import Span
from tqcheck.wording import quote

# Lowercase words that join the capitalised words of one English name ("Department of Homeland Security").
_NAME_JOINERS = frozenset({"of", "the", "and", "for", "on", "at", "in", "to", "&", "de", "du", "la", "le"})
# What ends a sentence before the next word, for "is this capital letter the sentence's first?".
_SENTENCE_OPENERS = frozenset(".!?:;\n\"“”„‘’'«»()[]—–-•")
_GAP = regexcache.compile(r"[ \u00a0]+")
_SUPPRESSIBLE_KINDS = frozenset({"place", "weekday", "month", "holiday"})
_EXONYM_MESSAGES = {
    "place": "English form of a place name", "weekday": "English weekday", "month": "English month name",
    "holiday": "English name of a holiday", "institution": "English name of an institution German names in German",
    "acronym": "English acronym German replaces with its own", "title": "English title or office",
    "event": "English name of an event German names in German",
}


def _normalise(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


def _lookup_form(word: str) -> str:
    """The lexicon form of a token: lowercase, straight apostrophe, without a possessive 's."""
    if "'" not in word and "’" not in word:
        return word.lower()
    low = word.lower().replace("’", "'")
    if low.endswith("'s"):
        return low[:-2]
    return low.rstrip("'")


def _sentence_initial(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t\u00a0":
        i -= 1
    return i < 0 or text[i] in _SENTENCE_OPENERS


class EnglishSource:
    """What an English source says about the words of its translation: names are what it writes capitalised
    (other than at a sentence's start), common words and phrases what it writes in lowercase."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.exact = _normalise(text)
        folded = self.exact.lower()
        # Offsets of the folded text must be those of the exact one (a few letters change length when lowered).
        self.folded = folded if len(folded) == len(self.exact) else ""

    @cached_property
    def lowercase(self) -> set[str]:
        """The lookup forms of the words the source writes in lowercase."""
        return self._cases[0]

    @cached_property
    def capitalised(self) -> set[str]:
        """The lookup forms of the words the source capitalises somewhere other than at a sentence's start."""
        return self._cases[1]

    @cached_property
    def _cases(self) -> tuple[set[str], set[str]]:
        # Only a lone English word of the translation asks (most sources never are), so worked out on demand.
        text = self.text
        lowercase: set[str] = set()
        capitalised: set[str] = set()
        for match in WORD_RE.finditer(text):
            word = match.group()
            # The parts of a compound count too ("all-too-tatty" has "tatty").
            forms = {_lookup_form(word), *map(_lookup_form, word.split("-"))} if "-" in word else {_lookup_form(word)}
            if word[0].islower():
                lowercase.update(forms)
            elif not _sentence_initial(text, match.start()):
                capitalised.update(forms)
        return lowercase, capitalised

    def _occurrences(self, phrase: str) -> Iterator[int]:
        """Where the source has these words (any case), as whole words."""
        folded = _normalise(phrase).lower()
        at = self.folded.find(folded)
        while at >= 0:
            if (at == 0 or not self.folded[at - 1].isalnum()) and not self.folded[at + len(folded):][:1].isalnum():
                yield at
            at = self.folded.find(folded, at + 1)

    def has_name(self, phrase: str) -> bool:
        """The source has these capitalised words verbatim: a name the translation kept. A word the source writes
        in lowercase is a common word even next to a name ("the Oslo boroughs", "Cornwall council")."""
        return _normalise(phrase) in self.exact

    def has_common(self, phrase: str) -> bool:
        """The source writes these words, in this order, starting in lowercase: an English common phrase."""
        return any(self.exact[at].islower() for at in self._occurrences(phrase))

    def has_words(self, phrase: str) -> bool:
        """The source has these words in this order, in any case."""
        return next(self._occurrences(phrase), None) is not None


@lru_cache(maxsize=16)
def _phrase_matcher(phrases: frozenset[str]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    # The longer phrase wins; phrases of one length alphabetically, so that every process writes the same pattern
    ordered = sorted(phrases, key=lambda p: (-len(p), p))
    alternatives = "|".join(r"[\s-]+".join(map(re.escape, p.split(" "))) for p in ordered)
    return regexcache.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


def loan_phrases(ctx: CheckContext) -> list[Span]:
    """Where the text uses an English expression German has borrowed whole ("Social Media", "Drag Queen")."""
    pattern = _phrase_matcher(ctx.packs.loan_phrases)
    return [Span(*m.span()) for m in prefilter.finditer(pattern, ctx.text, ctx.scan)] if pattern is not None else []


@lru_cache(maxsize=16)
def _exonym_matcher(entries: tuple[ExonymEntry, ...]) -> tuple[re.Pattern[str] | None, dict[str, ExonymEntry]]:
    """One case-sensitive regex for every name (longest first, so that the longer name wins) and its entries."""
    by_name = {_normalise(e.name): e for e in entries}  # a later entry (a user pack) replaces an earlier one
    if not by_name:
        return None, by_name
    names = sorted(by_name, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(re.escape(part).replace("'", "['’]") for part in name.split(" "))
                            for name in names)
    # A German genitive -s may follow ("Türkiyes Präsident"); an English possessive means a longer English name
    # ("Britain's Got Talent"), which is not what the entry is about.
    pattern = regexcache.compile(rf"(?<!\w)(?=[A-Z])(?:{alternatives})s?(?!\w)(?!['’]s\b)")
    return pattern, by_name


class _ExonymIndex:
    """The matcher of :func:`_exonym_matcher` (looked up by identity: hashing 400 entries a document cost more
    than the search) and an Aho–Corasick automaton over the names' openings, case as written: a name's first
    word, cut before an apostrophe (which the pattern also matches as ’). Every match starts at a hit. No
    automaton when a name opens with an apostrophe."""

    def __init__(self, entries: tuple[ExonymEntry, ...]) -> None:
        self.pattern, self.by_name = _exonym_matcher(entries)
        # What may follow an opening in its token: "end" (a first word, white space next), "name" (a whole name:
        # a genitive s, then no letter) or "apostrophe".
        self.follow: dict[str, set[str]] = {}
        for name in self.by_name:
            first = name.split(" ")[0]
            opening = first.split("'")[0]
            kind = "apostrophe" if "'" in first else "end" if " " in name else "name"
            self.follow.setdefault(opening, set()).add(kind)
        self.automaton: Any = None
        if self.pattern is not None and "" not in self.follow:
            self.automaton = prefilter.automaton((opening, opening) for opening in sorted(self.follow))

    def offsets(self, tokens: list[str]) -> list[tuple[int, ...]]:
        """Where in each token a match may start: an opening not after a letter or digit, followed by what its
        names allow (necessary conditions of the pattern: ``(?<!\\w)``, ``\\s+``, ``s?(?!\\w)``, ``['’]``). The
        tokens are searched as one text (one pass of the automaton, not one a token)."""
        joined = "\n".join(tokens)
        starts = list(accumulate((len(token) + 1 for token in tokens[:-1]), initial=0))
        found: list[set[int]] = [set() for _ in tokens]
        for stop, opening in self.automaton.iter(joined):
            at = stop - len(opening) + 1
            k = bisect.bisect_right(starts, at) - 1
            token, begin = tokens[k], starts[k]
            local, end = at - begin, stop + 1 - begin
            if local and _is_word_char(token[local - 1]):
                continue
            rest = token[end:end + 2]
            follow = self.follow[opening]
            if (not rest or ("name" in follow and (not _is_word_char(rest[0]) or (
                    rest[0] == "s" and (len(rest) == 1 or not _is_word_char(rest[1])))))
                    or ("apostrophe" in follow and rest[0] in "'’")):
                found[k].add(local)
        return [tuple(sorted(offsets)) for offsets in found]


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"  # the regex engine's \w


def _exonym_index(entries: tuple[ExonymEntry, ...]) -> _ExonymIndex:
    return derived(entries, "exonym index", lambda: _ExonymIndex(entries))


def _exonym_openings(ctx: CheckContext, index: _ExonymIndex) -> list[int]:
    """Where a name's opening is in the text, in order: the automaton's hits. An opening has no white space, so
    each lies in one whitespace-separated token: a token's hits are found once a process (:func:`_token_facts`),
    and only the tokens with some are looked for in the text."""
    facts, tokens = _token_facts(ctx)
    offsets = facts.offsets
    text = ctx.text
    return sorted({at + offset for at, end in _token_places(text, facts.with_openings.intersection(tokens))
                   for offset in offsets[text[at:end]]})


class _TokenFacts:
    """What the whitespace-separated tokens of the texts checked with one pack set hold, each token looked at once
    a process: where an exonym's opening stands in it (see _ExonymIndex.offsets), and whether it holds an
    English-only or function word (see _evidence_tokens). Both are asked about every token of a text, so one
    membership pass over the text's tokens tells whether any is new (a pass for each fact was a tenth of TQ203)."""

    __slots__ = ("evidence", "offsets", "seen", "with_openings")

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.offsets: dict[str, tuple[int, ...]] = {}  # the tokens with an opening: where in them
        self.with_openings: set[str] = set()
        self.evidence: set[str] = set()


def _token_facts(ctx: CheckContext) -> tuple[_TokenFacts, set[str]]:
    """The pack set's token facts, every token of the text among them, and the text's tokens; once a document."""
    cached = ctx.cache.get("english_left token facts")
    if cached is not None:
        return cached  # type: ignore[return-value]
    packs = ctx.packs
    # A one-place holder: a full table is replaced, never emptied in place, so a check running in another thread
    # (the service) keeps a table that only ever grows while it reads it.
    holder: list[_TokenFacts] = derived(packs, "token facts", lambda: [_TokenFacts()])
    if len(holder[0].seen) > _SPACE_TOKENS:
        holder[0] = _TokenFacts()
    facts = holder[0]
    tokens = _space_tokens(ctx)
    if not facts.seen.issuperset(tokens):  # seen before, each of them, is the usual case: one pass in C
        unknown = list(tokens.difference(facts.seen))
        index = _exonym_index(packs.exonyms)
        if index.automaton is not None:
            for token, found in zip(unknown, index.offsets(unknown), strict=True):
                if found:
                    facts.offsets[token] = found
                    facts.with_openings.add(token)
        kind = _word_kind(packs, packs.pivot_words, packs.pivot_function_words, packs.loanwords)
        facts.evidence.update(token for token in unknown
                              if any(kind(word) in (_ONLY, _FUNCTION) for word in WORD_RE.findall(token)))
        facts.seen.update(unknown)
    cached = ctx.cache["english_left token facts"] = (facts, tokens)
    return cached


def _exonym_entry(matched: str, by_name: dict[str, ExonymEntry]) -> ExonymEntry | None:
    key = _normalise(matched)
    return by_name.get(key) or (by_name.get(key[:-1]) if key.endswith("s") else None)


class _Token:
    __slots__ = ("_form", "end", "start", "word")

    def __init__(self, start: int, end: int, word: str) -> None:
        self.start, self.end, self.word, self._form = start, end, word, None

    @property
    def form(self) -> str:
        """The lexicon form (:func:`_lookup_form`), worked out when first asked: most tokens never are."""
        form = self._form
        if form is None:
            form = self._form = _lookup_form(self.word)
        return form

    @property
    def capitalised(self) -> bool:
        return self.word[0].isupper()


_CHUNK = regexcache.compile(r"\S+")
# What makes a chunk of text between spaces a URL, an e-mail address, code (paths, file names, identifiers,
# options: /usr/share, back_color_erase, --mode=, example.conf, U.S.) or a figure, which holds no words of any
# language here: a character of those, a leading dash, a dot between letters. Each pattern opens with a class or
# a literal, so the regex engine finds them at memory speed.
_NOT_WORDS_FEATURES = (regexcache.compile(r"[/\\_=<>{}\[\]|$@\d]"), regexcache.compile(r"-(?<!\S-)-?\w"),
                       regexcache.compile(r"\.(?<=\w\.)\w"))


def _excluded_chunks(text: str) -> list[tuple[int, int]]:
    """The chunks (runs of non-space) that hold no words, sorted and disjoint."""
    hits = sorted(m.start() for pattern in _NOT_WORDS_FEATURES for m in pattern.finditer(text))
    chunks: list[tuple[int, int]] = []
    end = -1
    for at in hits:
        if at < end:
            continue  # in the chunk already excluded
        start = at
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        end = _CHUNK.match(text, at).end()  # type: ignore[union-attr]  # text[at] is never a space
        chunks.append((start, end))
    return chunks


class _Excluded:
    """Is a word in an excluded chunk? Asked in text order, so one pointer walks the chunks."""

    def __init__(self, text: str) -> None:
        self.chunks = _excluded_chunks(text)
        self.i = 0

    def __contains__(self, start: int) -> bool:
        chunks, i = self.chunks, self.i
        while i < len(chunks) and chunks[i][1] <= start:
            i += 1
        self.i = i
        return i < len(chunks) and chunks[i][0] <= start


def word_tokens(text: str) -> list[_Token]:
    """The words of ``text`` outside URLs, code and figures, without standalone acronyms."""
    tokens = []
    excluded = _Excluded(text)
    check = bool(excluded.chunks)  # most texts have no URL, code or figure
    for match in WORD_RE.finditer(text):
        if check and match.start() in excluded:
            continue
        word = match.group()
        # A standalone acronym is no English word; inside a compound ("Reality-TV-Star") it is part of one.
        if len(word) > 1 and word.isupper() and word.isalpha():
            continue
        tokens.append(_Token(match.start(), match.end(), word))
    return tokens


def _joined(text: str, left: _Token, right: _Token) -> bool:
    """Only spaces between two tokens: the same phrase (a comma, a quote or a line break separates)."""
    return _GAP.fullmatch(text, left.end, right.start) is not None


def kept_names(text: str, tokens: list[_Token], source: EnglishSource, stopwords: frozenset[str]) -> list[Span]:
    """Spans of the target's capitalised word sequences that the English source contains verbatim: names the
    translation kept ("Human Rights Watch", "Benito Juarez High School"), to be left alone."""
    kept: list[Span] = []
    i, n = 0, len(tokens)
    while i < n:
        if not tokens[i].capitalised or tokens[i].form in stopwords:
            i += 1
            continue
        j = i  # grow a capitalised sequence, crossing lowercase joiners that lead to another capitalised word
        while j + 1 < n and _joined(text, tokens[j], tokens[j + 1]):
            nxt = tokens[j + 1]
            if nxt.capitalised:
                j += 1
            elif (nxt.word in _NAME_JOINERS and j + 2 < n and tokens[j + 2].capitalised
                  and _joined(text, nxt, tokens[j + 2])):
                j += 2
            else:
                break
        # The longest capitalised stretches of the sequence that the source has verbatim (at least two words).
        a = i
        while a < j:
            for b in range(j, a, -1):
                if tokens[b].capitalised and source.has_name(text[tokens[a].start:tokens[b].end]):
                    kept.append(Span(tokens[a].start, tokens[b].end))
                    a = b
                    break
            a += 1
            while a < j and not tokens[a].capitalised:
                a += 1
        i = j + 1
    return kept


@lru_cache(maxsize=1)
def _capitalised_chains() -> re.Pattern[str]:
    """Two or more words joined by spaces, each capitalised or a lowercase name joiner between two capitalised
    ones: where kept_names' sequences are. A word is a whole WORD_RE word that opens with an upper-case letter
    (str.isupper: every such letter of the first two planes, and any character beyond, checked word by word)."""
    def ranges(points: list[int]) -> str:
        found, first = [], points[0]
        for prev, cur in zip(points, [*points[1:], None], strict=True):
            if cur != prev + 1:
                found.append(re.escape(chr(first)) + ("-" + re.escape(chr(prev)) if prev > first else ""))
                first = cur
        return "".join(found)

    uppers = [ord(ch) for ch in filter(str.isupper, "".join(map(chr, range(0x20000))))]
    upper = "[" + ranges(uppers) + "\U00020000-\U0010ffff]"
    # A short class first, which the engine scans for fast (the capitals of Latin-1 and anything beyond it),
    # then the exact test on the letter it took.
    opening = "[" + ranges([c for c in uppers if c < 0x100]) + "\u0100-\U0010ffff]"
    # The first letter, not after a letter or a letter and a joiner (it would be inside a word), then the rest of
    # the word, never given back.
    word = rf"{opening}(?<={upper})(?<![^\W_].)(?<![^\W_][-'’].)(?>[^\W_]*(?:[-'’][^\W_]+)*)"
    joiner = "(?:" + "|".join(sorted(w for w in _NAME_JOINERS if WORD_RE.fullmatch(w))) + ")"
    return regexcache.compile(rf"{word}(?:[ \u00a0]+(?:{joiner}[ \u00a0]+)?{word})+")


def source_kept_names(text: str, source: EnglishSource, stopwords: frozenset[str]) -> list[Span]:
    """``kept_names(text, word_tokens(text), source, stopwords)``, with only the stretches of capitalised words
    made tokens: a sequence of kept_names lies in one of them (a word left out of the tokens, an acronym or code,
    only ends a sequence sooner)."""
    kept: list[Span] = []
    exact = source.exact
    for chain in _capitalised_chains().finditer(text):
        # A kept name has two neighbouring words of the stretch, which the source then has too.
        words = chain.group().replace("’", "'").split()
        if not any(f"{left} {right}" in exact for left, right in pairwise(words)):
            continue
        tokens = []
        for match in WORD_RE.finditer(text, chain.start(), chain.end()):
            word = match.group()
            if _in_excluded_chunk(text, match.start()) or (len(word) > 1 and word.isupper() and word.isalpha()):
                continue  # as word_tokens: code, a URL or a figure; a standalone acronym
            tokens.append(_Token(match.start(), match.end(), word))
        kept += kept_names(text, tokens, source, stopwords)
    return kept


class _Cover:
    """Is a range inside one of many spans? (Binary search: a long article has hundreds of kept names.)"""

    def __init__(self, spans: list[Span]) -> None:
        ordered = sorted(spans)
        self.starts = [s.start for s in ordered]
        self.reach: list[int] = []  # the furthest end of any span starting at or before this one
        for span in ordered:
            self.reach.append(max(span.end, self.reach[-1]) if self.reach else span.end)

    def __contains__(self, token: tuple[int, int]) -> bool:
        i = bisect.bisect_right(self.starts, token[0]) - 1
        return i >= 0 and self.reach[i] >= token[1]


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def exonym_findings(ctx: CheckContext, kept: list[Span], taken: list[tuple[int, int]],
                     english_source: bool) -> Iterator[Finding]:
    index = _exonym_index(ctx.packs.exonyms)
    pattern, by_name = index.pattern, index.by_name
    if pattern is None:
        return
    text, stopwords = ctx.text, ctx.packs.stopwords
    found = (prefilter.finditer(pattern, text, ctx.scan) if index.automaton is None
             else from_positions(pattern, _exonym_openings(ctx, index), text))
    matches = [(m.start(), m.end(), entry) for m in found if (entry := _exonym_entry(m.group(), by_name)) is not None]
    for start, end, entry in earliest_longest(matches):
        if entry.kind == "keep":
            kept.append(Span(start, end))  # a name German keeps: not English left in the text either
            continue
        if _overlaps(start, end, taken):
            continue
        if entry.kind in _SUPPRESSIBLE_KINDS:
            # Part of a longer name the translation kept ("Air India", "Tate Britain", "Black Friday"): with an
            # English source, a verbatim name of the source; without one, a capitalised neighbour word.
            if any(s.start <= start and end <= s.end and (s.start, s.end) != (start, end) for s in kept):
                continue
            if not english_source and _capitalised_neighbour(text, start, stopwords):
                continue
        label = _EXONYM_MESSAGES[entry.kind]
        yield Finding(start, end, f"{label} left in the German text: {quote(text[start:end])} "
                                  f"(German: {entry.german}).", None,
                      replacements=tuple(r.strip() for r in entry.german.split(" / ") if r.strip()))


# The word before a name inside a longer English name may stand across one of these ("Board of India").
_NEIGHBOUR_BEFORE = regexcache.compile(r"([^\W\d_][\w'’-]*)[ \u00a0]+(?:(?:of|the|and|for|&)[ \u00a0]+)?$")


def _capitalised_neighbour(text: str, start: int, stopwords: frozenset[str]) -> bool:
    """A capitalised word right before the span that makes it part of a longer name ("Air India", "Tate Britain",
    "Black Friday"): not a German function word, not merely the sentence's first word. Only the word before
    counts: German puts its own nouns after a name ("Türkiyes Süden")."""
    before = _NEIGHBOUR_BEFORE.search(text, max(0, start - 48), start)
    if before is None or not before.group(1)[0].isupper() or before.group(1).lower() in stopwords:
        return False
    return not _sentence_initial(text, before.start(1))


_ONLY, _FUNCTION, _SHARED = "english", "function", "shared"
# No further word before or after a run, in its clause: the text starts or ends there, or punctuation does.
_CLAUSE_EDGE_LEFT = regexcache.compile(r"(?:^|[^\w\s])[ \u00a0]*$")
_CLAUSE_EDGE_RIGHT = regexcache.compile(r"[ \u00a0]*(?:$|[^\w\s'’-])")


_UNSEEN = object()
# Distinct words whose kind is remembered per pack set: enough for any vocabulary, bounded for a long batch.
_MAX_REMEMBERED_WORDS = 500_000


def _word_kind(packs: object, english_words: frozenset[str], function_words: frozenset[str],
               shared_words: frozenset[str]) -> Callable[[str], str | None]:
    """The English kind of a word (None: no English word), remembered across documents: the kind depends on the
    word alone, and most words of a text are seen before, in it or in others."""
    known: dict[str, str | None] = derived(packs, "english word kinds", dict)
    if len(known) > _MAX_REMEMBERED_WORDS:
        known.clear()

    def kind(word: str) -> str | None:
        found = known.get(word, _UNSEEN)
        if found is not _UNSEEN:
            return found  # type: ignore[return-value]
        found = known[word] = _kind_of(word, english_words, function_words, shared_words)
        return found

    return kind


def _kind_of(word: str, english_words: frozenset[str], function_words: frozenset[str],
             shared_words: frozenset[str]) -> str | None:
    if word[1:] != word[1:].lower():
        return None  # CamelCase brand names (WeChat, iPhone) and acronyms are no English words
    kinds = []
    for part in _lookup_form(word).split("-"):
        if part in shared_words:
            kinds.append(_SHARED)
        elif part in function_words:
            kinds.append(_FUNCTION)
        elif part in english_words:
            kinds.append(_ONLY)
        else:
            return None
    if len(kinds) == 1:
        return kinds[0]
    return _ONLY if _ONLY in kinds else _SHARED


# A character that is in no word (WORD_RE) and is not a space that joins two words of a run: no run crosses it.
_RUN_BREAK = regexcache.compile(r"[^\w \u00a0'’-]|_")
_LAST_RUN_BREAK = regexcache.compile(r"(?s:.*)(?:[^\w \u00a0'’-]|_)")
_SPACE_TOKENS = 200_000  # whitespace tokens whose facts are remembered (_TokenFacts)


def _evidence_tokens(ctx: CheckContext) -> list[str]:
    """The distinct whitespace-separated tokens of the text that hold an English-only or a function word: every
    run worth reporting has one (a run of words German shares with English alone is never reported). A token is
    looked at once a process (:func:`_token_facts`); most texts' tokens were seen before."""
    facts, tokens = _token_facts(ctx)
    return list(facts.evidence.intersection(tokens))


def _space_tokens(ctx: CheckContext) -> set[str]:
    """The text's distinct whitespace-separated tokens, found once for the evidence and exonym look-ups."""
    tokens = ctx.cache.get("english_left space tokens")
    if tokens is None:
        tokens = ctx.cache["english_left space tokens"] = _distinct_tokens(ctx.text)
    return tokens  # type: ignore[return-value]


def _distinct_tokens(text: str) -> set[str]:
    """``set(text.split())``, split a chunk at a time: the list of all of a long text's tokens (9 MB per MB of
    German) is never built. Chunks end before white space, so no token is cut."""
    tokens: set[str] = set()
    for chunk in whitespace_chunks(text):
        tokens.update(chunk.split())
    return tokens


def _token_places(text: str, tokens: Iterable[str]) -> list[tuple[int, int]]:
    """Where each token stands in the text as a whole token (white space or the text's ends around it)."""
    found = []
    n = len(text)
    for token in tokens:
        size = len(token)
        at = text.find(token)
        while at >= 0:
            if (at == 0 or text[at - 1].isspace()) and (at + size == n or text[at + size].isspace()):
                found.append((at, at + size))
            # A whole token cannot start inside an occurrence (it would have white space in it).
            at = text.find(token, at + size)
    return found


def _evidence_clauses(text: str, tokens: list[str]) -> list[tuple[int, int]]:
    """Ranges of the text, in order and disjoint, that hold every occurrence of the tokens as a whole token and
    begin and end at run breaks (or the text's ends): the runs in them are all the runs with such a token."""
    n = len(text)
    found = _token_places(text, tokens)
    clauses: list[tuple[int, int]] = []
    for at, token_end in sorted(found):
        stop = _RUN_BREAK.search(text, token_end)
        end = stop.start() if stop is not None else n
        if clauses and at <= clauses[-1][1]:
            clauses[-1] = (clauses[-1][0], max(clauses[-1][1], end))
            continue
        begin = 0
        window = 256
        while True:  # the last run break before the token, looked for in a growing window before it
            low = max(0, at - window)
            before = _LAST_RUN_BREAK.match(text, low, at)
            if before is not None:
                begin = before.end()
                break
            if low == 0:
                break
            window *= 4
        clauses.append((begin, end))
    return clauses


def _in_excluded_chunk(text: str, start: int) -> bool:
    """Whether the chunk (run of non-space) around ``start`` holds a URL, code or a figure (_excluded_chunks)."""
    begin = start
    while begin > 0 and not text[begin - 1].isspace():
        begin -= 1
    end = _CHUNK.match(text, start).end()  # type: ignore[union-attr]  # text[start] is a word's letter
    return _NOT_WORDS_FEATURE.search(text, begin, end) is not None


# The three of _NOT_WORDS_FEATURES in one pattern, for a chunk at a time.
_NOT_WORDS_FEATURE = regexcache.compile("|".join(pattern.pattern for pattern in _NOT_WORDS_FEATURES))


def _english_runs(ctx: CheckContext, source: EnglishSource | None, kept: list[Span]) -> list[list[_Token]]:
    """Runs of English words joined by spaces only: English-only words (pivot lexicon) and English function words
    are the evidence; words German also has (loanwords, homographs) belong to a run only inside it or next to a
    function word ("the meeting"), never at its edge next to another content word ("Backlash war")."""
    packs = ctx.packs
    kind = _word_kind(packs, packs.pivot_words, packs.pivot_function_words, packs.loanwords)
    text = ctx.text
    runs: list[list[_Token]] = []
    kinds: dict[int, str] = {}
    cover = _Cover(kept)
    # Only the clauses with evidence are read word by word (most German text has none). Only words of some
    # English kind are made tokens. Any other word between two of them ends the run, as does a URL, a figure or
    # an acronym: the two are then not joined by spaces only.
    for begin, end in _evidence_clauses(text, _evidence_tokens(ctx)):
        current: list[_Token] = []
        for match in WORD_RE.finditer(text, begin, end):
            word = match.group()
            k = kind(word)
            if k is not None:
                start, stop = match.span()
                if (start, stop) in cover or _in_excluded_chunk(text, start):
                    k = None
            if k is None:
                if current:
                    runs.append(current)
                    current = []
                continue
            token = _Token(start, stop, word)
            kinds[start] = k
            if current and not _joined(text, current[-1], token):
                runs.append(current)
                current = []
            current.append(token)
        if current:
            runs.append(current)
    result = []
    for whole in runs:
        # Trim words German also has from the edges unless a function word before them holds them ("the
        # meeting", but "war the end"), or the English clause runs on to the punctuation ("the decision was
        # final.", but "Backlash war groß") ...
        a, b = 0, len(whole)
        clause = any(kinds[t.start] == _FUNCTION for t in whole)
        open_left = not (clause and _CLAUSE_EDGE_LEFT.search(ctx.text, 0, whole[0].start))
        open_right = not (clause and _CLAUSE_EDGE_RIGHT.match(ctx.text, whole[-1].end))
        while open_left and a < b and kinds[whole[a].start] == _SHARED:
            a += 1
        while open_right and a < b and kinds[whole[b - 1].start] == _SHARED and (
                b - a == 1 or kinds[whole[b - 2].start] != _FUNCTION):
            b -= 1
        if a == b:
            continue
        # ... or the source writes them with the rest, in lowercase, and the translation capitalised them with it
        # ("Change Agent" for "change agent").
        if source is not None:
            while a > 0 and whole[a - 1].capitalised and source.has_common(
                    ctx.text[whole[a - 1].start:whole[b - 1].end]):
                a -= 1
            while b < len(whole) and whole[b].capitalised and source.has_common(
                    ctx.text[whole[a].start:whole[b].end]):
                b += 1
        run = whole[a:b]
        found = {kinds[t.start] for t in run}
        if _ONLY in found or (_FUNCTION in found and _SHARED in found):
            result.append(run)
    return result


def english_findings(ctx: CheckContext, source: EnglishSource | None, kept: list[Span],
                     taken: list[tuple[int, int]]) -> Iterator[Finding]:
    text, function_words = ctx.text, ctx.packs.pivot_function_words
    small_words = function_words | _NAME_JOINERS  # lowercase even inside a name
    for run in _english_runs(ctx, source, kept):
        start, end = run[0].start, run[-1].end
        if _overlaps(start, end, taken):
            continue
        phrase = text[start:end]
        if len(run) > 1:
            if len({t.form for t in run}) == 1:
                continue  # a reduplication ("Zoom Zoom", "bye bye"): a sound or slogan, not a phrase to translate
            name_shaped = all(t.capitalised for t in run if t.form not in small_words)
            if source is not None:
                # The MT copied words the source has in this order; capitalised like a name, they are an English
                # common phrase only where the source writes them in lowercase.
                if not (source.has_common(phrase) if name_shaped else source.has_words(phrase)):
                    continue
            elif name_shaped:
                continue  # a capitalised English name: kept names are normal in German, unknown ones undecidable
            yield Finding(start, end, f"English phrase left untranslated in the German text: {quote(phrase)}.",
                          "Translate it.")
            continue
        [token] = run
        if token.form in function_words or len(token.form) < 3:
            continue  # alone, a function word or a two-letter word ("Do." for Donnerstag) proves nothing
        if source is not None:
            # A common word of the source (written lowercase there), never a name of it.
            if token.form not in source.lowercase or token.form in source.capitalised:
                continue
        elif token.capitalised or _sentence_initial(text, token.start):
            continue  # without a source a capitalised English word may be a name; German nouns are capitalised
        yield Finding(start, end, f"English word left untranslated in the German text: {quote(phrase)}.",
                      "Translate it.")
