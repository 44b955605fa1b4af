"""French text to search stems: the same function reads listings and shoppers' queries.

Words are folded first (localdir.text.fold: no accents, no case, no punctuation), so "boulangère" and "boulangere"
give the same stem. Then function words are dropped and each word goes through the Snowball French stemmer
(PyStemmer). Snowball alone leaves trades apart by gender and sometimes number, measured:
boulanger -> "boulang" but boulangère -> "boulanger", vigneron -> "vigneron" but vignerons -> "vign",
apicultrice -> "apicultric". So a word's feminine ending or plural "s" is turned back into the masculine singular
before stemming (FEMININE_ENDINGS); documents and queries share the rule, so it can only merge words, never lose
a match between two forms of the same word.
"""

import functools

import Stemmer

from localdir.text import fold

MAX_WORD_LENGTH = 40

# Articles, prepositions, pronouns and conjunctions: a query "la ferme du chêne" must not need a "du".
STOPWORDS = frozenset(
    """
    au aux avec ce ces cet cette dans de des du elle elles en est et il ils je la le les leur leurs lui ma mais me
    mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sont sur ta te tes toi ton tu un une
    vos votre vous
    """.split()
)

# (ending, masculine singular ending), longest first; applied when at least MIN_ROOT letters remain before it.
FEMININE_ENDINGS = [
    ("ieres", "ier"),
    ("iere", "ier"),
    ("eres", "er"),
    ("ere", "er"),
    ("euses", "eur"),
    ("euse", "eur"),
    ("trices", "teur"),
    ("trice", "teur"),
    ("iennes", "ien"),
    ("ienne", "ien"),
    ("onnes", "on"),
    ("onne", "on"),
    ("annes", "an"),
    ("anne", "an"),
    ("elles", "el"),
    ("elle", "el"),
    ("ives", "if"),
    ("ive", "if"),
    ("ees", "e"),
    ("ee", "e"),
]
MIN_ROOT = 3

_stemmer = Stemmer.Stemmer("french")


def _masculine_singular(word):
    for ending, masculine in FEMININE_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_ROOT:
            return word[: -len(ending)] + masculine
    # "frais", "jus", "pays" keep their s; "ss" is not a plural.
    if len(word) > MIN_ROOT and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@functools.lru_cache(maxsize=200_000)
def _chunk_stems(chunk):
    """The stems of one whitespace-separated piece of text (fold may split it: "l'abeille", "St-Jean")."""
    stems = []
    for word in fold(chunk).split():
        # One letter is an elision ("l'", "d'") or an initial: never worth a search term.
        if len(word) < 2 or word in STOPWORDS:
            continue
        stems.append(_stemmer.stemWord(_masculine_singular(word[:MAX_WORD_LENGTH])))
    return tuple(stems)


def iter_stems(text):
    """The search stems of `text`, in order, repeats kept: "Les Miels de l'Abeille" -> "miel", "abeil".

    Every stem is made of a-z and 0-9 only: both databases can compare them as whole words without escaping.
    """
    for chunk in (text or "").split():
        yield from _chunk_stems(chunk)


def stems(text):
    return list(iter_stems(text))
