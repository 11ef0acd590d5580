"""Source↔target alignment, paragraphs first, then sentences (see ``model``).

``model`` is the dynamic programme (Gale–Church lengths, anchors, lexical evidence) and the link confidence;
``lexicon`` turns a sentence into content tokens through the bilingual dictionaries; ``evidence`` scores
candidate links by those tokens.
"""

from tqcheck.align.lexicon import dictionary_names
from tqcheck.align.model import METHOD, PAIR_RATIOS, align, align_units, length_delta, link_spans


def aligner_signature() -> str:
    """The aligner's method and the dictionaries it has here: ``gale-church+anchors+lexicon/2:cc-cedict,ding``."""
    return f"{METHOD}:{','.join(dictionary_names())}"


__all__ = ["METHOD", "PAIR_RATIOS", "align", "align_units", "aligner_signature", "length_delta", "link_spans"]
