#!/usr/bin/env python3
"""Build hexalign's bilingual word lexicons, dictionaries/lexicon/en-XX.tsv.

This script is run BY HAND, not at build time: its outputs are committed, and
neither meson nor CI runs it.  Rerun it from the project root when a source
changes:

    python3 dictionaries/build-lexicons.py [--cedict PATH] [--out DIR]

What it reads
  zh  CC-CEDICT, cedict_1_0_ts_utf-8_mdbg.txt.gz (default path:
      ../shared/data/dictionaries/cc-cedict/ beside the project root).
  fr  FreeDict eng-fra and fra-eng  (/usr/share/dictd/freedict-*.index/.dict.dz)
  es  FreeDict eng-spa and spa-eng
  ru  FreeDict eng-rus (Debian has no rus-eng package) and the Mueller
      English-Russian dictionary, 7th edition (/usr/share/dictd/mueller7.*)
  ar  FreeDict eng-ara and ara-eng
  Licence and version text: /usr/share/doc/dict-freedict-*/copyright, dpkg.

Debian packages it needs (apt-get install -y ...)
  dict-freedict-eng-fra dict-freedict-fra-eng dict-freedict-eng-spa
  dict-freedict-spa-eng dict-freedict-eng-rus dict-freedict-eng-ara
  dict-freedict-ara-eng mueller7-dict
                          -- the sources;
  wordnet-base            -- English lemmas and irregular forms, to put the
                             English side into its base form (Morphy);
  hunspell hunspell-en-us hunspell-fr hunspell-es
                          -- word checks.  Old Ergane-derived FreeDict data
                             (eng-spa, spa-eng, some eng-fra) has multiword
                             phrases with the spaces lost ("nuezmoscada",
                             "atthesametime"); a word hunspell rejects is
                             dropped.  Build-time filters only: nothing from
                             WordNet or hunspell is copied into the output.

  One line: apt-get install -y dict-freedict-eng-fra dict-freedict-fra-eng \
    dict-freedict-eng-spa dict-freedict-spa-eng dict-freedict-eng-rus \
    dict-freedict-eng-ara dict-freedict-ara-eng mueller7-dict wordnet-base \
    hunspell hunspell-en-us hunspell-fr hunspell-es
  Python 3.9 or later, standard library only.

What it does
  English side: one word, lowercased, put into its WordNet base form
  (children -> child, telecommunications -> telecommunication), no stop word.
  zh: Simplified form; each gloss cleaned of notes, classifiers,
  cross-references, variant/see/abbr./surname glosses and person names, split
  on ';' and ','; "to X" -> X; a gloss of <= 3 content words pairs each of
  them with the word (see FANOUT for the one pruning).
  fr/es/ru/ar: single-word translations, or the content words of two-word
  ones, from eng-XX and (reversed) XX-eng; Arabic without tashkeel/tatweel.
  Foreign function words dropped; the lists are below.

Output format (read by the C loader): UTF-8, LF; '#' comment lines first
(source, version, licence, attribution); then `english<TAB>foreign`, one
lowercase English base-form word and one foreign word, sorted by code point
(= UTF-8 byte order, = `LC_ALL=C sort`), no duplicates.

The output is a function of the inputs only (no dates, no hash order), so a
rerun on the same packages gives byte-identical files.
"""

import argparse
import gzip
import re
import subprocess
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CEDICT = (ROOT.parent / "shared" / "data" / "dictionaries" / "cc-cedict"
                  / "cedict_1_0_ts_utf-8_mdbg.txt.gz")
DICTD = Path("/usr/share/dictd")
WORDNET = Path("/usr/share/wordnet")
MAX_BYTES = 6_000_000

# ---------------------------------------------------------------------------
# Stop words.  Pairs with a function word on either side only add noise to an
# aligner's lexical score, since function words occur in every sentence.

EN_STOP = set("""
a an the this that these those some any each every either neither no none
all both half several many much more most few fewer less least other another
such same own
i me my mine myself we us our ours ourselves you your yours yourself
yourselves he him his himself she her hers herself it its itself they them
their theirs themselves one oneself one's someone somebody something
anyone anybody anything everyone everybody everything nobody nothing
sb sth sb's sth's
who whom whose which what whatever whoever whichever
be am is are was were been being have has had having do does did doing done
will would shall should can could may might must ought
not nor and or but if then else than because as so though although while
whereas whether unless until till since once
of to in on at by for with from into onto upon about above below over under
between among amongst through throughout during before after against
without within along across behind beyond around near off out up down
toward towards per via versus vs
here there where when why how
very too also just only even still yet already again ever never always
often quite rather almost
etc esp e.g i.e eg ie lit fig abbr cl pr coll
oh ah eh hey
don't doesn't didn't isn't aren't wasn't weren't can't cannot won't
wouldn't shouldn't couldn't mustn't haven't hasn't hadn't i'm i've i'd
i'll you're you've you'd you'll he's she's it's we're we've we'd we'll
they're they've they'd they'll that's there's let's
""".split())

FR_STOP = set("""
le la les l un une des du de d au aux à a et ou où ni mais donc or car
en dans par pour sur sous avec sans chez vers entre contre que qu qui quoi
dont ne n pas plus se s ce c cet cette ces il elle ils elles je j tu nous
vous on me m te t lui leur leurs y son sa ses mon ma mes ton ta tes notre
nos votre vos est sont être avoir ai as ont été si comme
""".split())

ES_STOP = set("""
el la los las lo un una unos unas de del al a y e o u ni en por para con sin
sobre entre hacia hasta desde que qué quien se su sus mi mis tu tus le les
me te nos os él ella ellos ellas yo tú usted ustedes es son ser estar está
no si sí como pero mas más muy ya
""".split())

RU_STOP = set("""
и в во на с со к ко по о об обо от до из у за для при без над под про через
не ни что чтобы как а но или либо же бы ли то это этот эта эти тот та те
он она оно они я ты мы вы его её ее их мой моя моё мое мои твой твоя наш
ваш свой себя так там тут где когда уже ещё еще вот да нет быть есть был
была было были
""".split())

AR_STOP = set("""
في من إلى الى على عن مع و أو او ثم أن ان إن أنّ لا ما لم لن هذا هذه ذلك تلك
هؤلاء التي الذي الذين اللذان هو هي هم هن أنا نحن أنت أنتم كان كانت قد
كل بعض بين عند حتى إذا اذا لكن بل يا ب ل ك ف ال منذ نحو لدى أي اي ذو ذات
بشكل بطريقة
""".split())

ZH_STOP = set("""
的 了 是 在 和 与 及 或 也 就 都 而 之 其 以 于 对 把 被 着 过 吗 呢 吧 啊 呀
这 那 个 我 你 他 她 它 们 地 得 所 并 且 则 之一 我们 你们 他们 她们 它们
这个 那个 这些 那些 一个 有 没 不 很 又 还 再
""".split())

FOREIGN_STOP = {"zh": ZH_STOP, "fr": FR_STOP, "es": ES_STOP,
                "ru": RU_STOP, "ar": AR_STOP}

# ---------------------------------------------------------------------------
# English base forms: WordNet's Morphy (Miller et al., WordNet 3.0,
# morphy(7WN)): a form that is itself a lemma stays; otherwise irregular
# forms from the *.exc lists, then suffix rules, accepting a result only if
# it is a WordNet lemma.  Words WordNet lacks (names, acronyms) stay as they
# are.

MORPHY_RULES = {
    "noun": [("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"),
             ("ches", "ch"), ("shes", "sh"), ("men", "man"), ("ies", "y")],
    "verb": [("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"),
             ("ed", ""), ("ing", "e"), ("ing", "")],
    "adj": [("er", ""), ("est", ""), ("er", "e"), ("est", "e")],
    "adv": [],
}


class English:
    WORD = re.compile(r"^[a-z]+(?:[-'][a-z]+)*$")

    def __init__(self):
        self.lemmas = {}
        self.exc = {}
        for pos in ("noun", "verb", "adj", "adv"):
            lem = set()
            with open(WORDNET / f"index.{pos}", encoding="utf-8") as f:
                for line in f:
                    if not line.startswith(" "):
                        lem.add(line.split(" ", 1)[0])
            self.lemmas[pos] = lem
            exc = {}
            with open(WORDNET / f"{pos}.exc", encoding="utf-8") as f:
                for line in f:
                    parts = line.split()
                    if len(parts) >= 2:
                        exc.setdefault(parts[0], parts[1])
            self.exc[pos] = exc
        self.all_lemmas = set().union(*self.lemmas.values())
        self.cache = {}

    def base(self, w):
        """Base form of lowercase word w."""
        r = self.cache.get(w)
        if r is not None:
            return r
        r = w
        if w not in self.all_lemmas:
            for pos in ("noun", "verb", "adj", "adv"):
                if w in self.exc[pos]:
                    r = self.exc[pos][w]
                    break
            else:
                for pos in ("noun", "verb", "adj"):
                    hit = None
                    for suf, rep in MORPHY_RULES[pos]:
                        if w.endswith(suf) and len(w) > len(suf) + 1:
                            cand = w[: len(w) - len(suf)] + rep
                            if cand in self.lemmas[pos]:
                                hit = cand
                                break
                    if hit:
                        r = hit
                        break
        self.cache[w] = r
        return r

    def word(self, tok):
        """Token -> base-form content word, or None."""
        tok = tok.lower()
        if tok.endswith("'s"):
            tok = tok[:-2]
        if not self.WORD.match(tok) or tok in EN_STOP:
            return None
        b = self.base(tok)
        if b in EN_STOP or not self.WORD.match(b):
            return None
        return b


# ---------------------------------------------------------------------------
# hunspell as a batch filter: `hunspell -L -G` echoes only the input lines
# with no misspelt word, so with one word a line it returns the accepted
# words.  (The -a pipe mode would work too, but it computes suggestions for
# every rejected word and is far slower.)

class Speller:
    def __init__(self, dicts):
        self.dicts = dicts
        self.ok = {}

    def _run(self, d, words):
        inp = "".join(w + "\n" for w in words)
        p = subprocess.run(["hunspell", "-i", "utf-8", "-d", d, "-L", "-G"],
                           input=inp.encode("utf-8"), capture_output=True,
                           check=True)
        good = set(p.stdout.decode("utf-8").split("\n"))
        return [w in good for w in words]

    def check(self, words):
        """Fill self.ok for words: True if any dictionary accepts one of
        the word's case variants."""
        todo = sorted(set(w for w in words if w not in self.ok))
        variants = {w: {w, w.capitalize(), w.upper()} for w in todo}
        for w in todo:
            self.ok[w] = False
        for d in self.dicts:
            pend = sorted({v for w in todo if not self.ok[w]
                           for v in variants[w]})
            if not pend:
                break
            good = {v for v, g in zip(pend, self._run(d, pend)) if g}
            for w in todo:
                if not self.ok[w] and variants[w] & good:
                    self.ok[w] = True


# ---------------------------------------------------------------------------
# Foreign-side normalisation.

HAN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
                 r"\U00020000-\U0003134f]+$")
LATIN_WORD = re.compile(r"^[^\W\d_]+(?:[-'][^\W\d_]+)*$")
CYR_WORD = re.compile(r"^[\u0400-\u04ff]+(?:-[\u0400-\u04ff]+)*$")
AR_WORD = re.compile(r"^[\u0621-\u063a\u0641-\u064a\u0671-\u06d3]+$")
AR_MARKS = re.compile(r"[\u064b-\u0652\u0670\u0640]")
FR_ELISION = re.compile(r"^(?:l|d|s|n|j|m|t|c|qu|jusqu|lorsqu|puisqu)'(.+)$")


def is_latin(w):
    return all(c in "-'" or "LATIN" in unicodedata.name(c, "") for c in w)


def norm_foreign(lang, w):
    """Normalise one foreign token; return the list of forms to pair (0, 1
    or 2), already checked for shape and stop words."""
    w = unicodedata.normalize("NFC", w).strip()
    w = w.replace("\u2010", "-").replace("\u2011", "-").replace("\u2019", "'")
    w = w.strip("-'")
    if lang == "zh":
        return [w] if HAN.match(w) and w not in ZH_STOP else []
    w = w.lower()
    forms = []
    if lang in ("fr", "es"):
        if lang == "fr":
            m = FR_ELISION.match(w)
            if m:
                w = m.group(1)
        if LATIN_WORD.match(w) and is_latin(w):
            forms = [w]
    elif lang == "ru":
        if CYR_WORD.match(w):
            # UN Russian prints е for ё almost always; pair both spellings.
            forms = [w] + ([w.replace("ё", "е")] if "ё" in w else [])
    elif lang == "ar":
        w = AR_MARKS.sub("", w)
        if AR_WORD.match(w):
            forms = [w]
            # FreeDict eng-ara gives nouns with the article (الطفل); pair the
            # bare stem too, since running text has it after other
            # proclitics (لطفل، بطفل) and without any.  A 2-letter remainder
            # means ال is part of the word (الله), so leave those alone.
            if w.startswith("ال") and len(w) >= 5:
                forms.append(w[2:])
    stop = FOREIGN_STOP[lang]
    return [f for f in forms if f not in stop]


# ---------------------------------------------------------------------------
# CC-CEDICT.

CEDICT_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
CJK_REF = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
                     r"|·・，、]+(?:\[[^\]]*\])?")
PARENS = re.compile(r"\([^()]*\)")
DROP_GLOSS = re.compile(
    r"^(?:(?:old |archaic |ancient |erhua |japanese |unofficial |"
    r"taiwan |non-standard |variant )*variant of|see\b|see also|"
    r"abbr\.? (?:for|to|of)|also written|also pr\.|taiwan pr\.|"
    r"used in\b|used for\b|cl:|classifier\b|surname\b|"
    r"(?:two-character |japanese |korean )?surname|"
    r"(?:given|personal|courtesy|pen|posthumous|stage) name|"
    r"(?:also|formerly|originally) (?:written|called|known as)|pr\. |"
    r"one of\b)", re.I)
PERSON_DATES = re.compile(
    r"\((?:c\. ?|ca\. ?|born |died |d\. |b\. |fl\. )?\d{1,4}(?:\s*BC)?"
    r"(?:\s*-\s*(?:(?:c\. ?)?\d{1,4}(?:\s*BC)?)?)?\s*\)")
TOKEN_STRIP = ".,!?\"“”‘’:;…()[]{}<>*~_"


def cedict_meta(path):
    meta = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                break
            m = re.match(r"^#! (\w+)=(.*)$", line.strip())
            if m:
                meta[m.group(1)] = m.group(2)
    return meta


# In an entry of a proper noun (capitalised pinyin), marks of a person:
# dates or centuries in a note, "(name)", or a description such as
# "Zhang Chang, official and scholar of the Western Han dynasty".
PERSON_NOTE = re.compile(r"\([^)]*(?:\d|\bcentury\b|\bBC\b|\bAD\b|"
                         r"^name$|\bname\)|\bnames?\b)[^)]*\)")
PERSON_DESC = re.compile(
    r",[^/]*\b(?:official|scholar|poet|painter|writer|novelist|author|"
    r"emperor|empress|king|queen|prince|princess|general|minister|"
    r"politician|statesman|leader|founder|co-founder|philosopher|"
    r"actor|actress|singer|composer|musician|artist|calligrapher|monk|"
    r"scientist|physicist|mathematician|astronomer|inventor|historian|"
    r"dramatist|playwright|director|warlord|revolutionary|martyr|"
    r"footballer|player|athlete|president|chairman|son|daughter|wife|"
    r"husband|father|mother|brother|sister|concubine|consort|disciple|"
    r"reformer|diplomat|explorer|missionary|businessman|entrepreneur|"
    r"courtier|eunuch|strategist|commander|admiral|hero|heroine|legendary)"
    r"\b", re.I)


def gloss_parts(gloss, proper):
    """Clean one CEDICT gloss into a list of English phrases."""
    if PERSON_DATES.search(gloss) or re.search(r"\bsurname\b", gloss, re.I):
        return []
    if proper and (PERSON_NOTE.search(gloss) or PERSON_DESC.search(gloss)):
        return []
    if re.search(r"\([^)]*\bspecies\b", gloss):
        return []  # taxonomy ("(bird species of China) ..."): noise here
    if re.search(r"\b(?:radical|component) in Chinese char", gloss, re.I):
        return []  # character components, not words
    if DROP_GLOSS.match(gloss.strip()):
        return []
    g = gloss
    while True:
        g2 = PARENS.sub(" ", g)
        if g2 == g:
            break
        g = g2
    g = re.sub(r"\[[^\]]*\]", " ", g)
    g = CJK_REF.sub(" ", g)
    if "(" in g or ")" in g:
        return []  # unbalanced note
    parts = re.split(r"[;,]", g)
    if proper:
        # "Weibin District of Baoji City, Shaanxi": the name is the first
        # part; the rest describes it and is not a translation.
        # Likewise "Sihong county in Suqian": keep "Sihong county".
        parts = re.split(r"\s+in\s+", parts[0])[:1]
    out = []
    for p in parts:
        p = p.strip()
        p = re.sub(r"^(?:lit\.|fig\.|lit:|fig:)\s*", "", p, flags=re.I)
        p = re.sub(r"^to\s+", "", p)
        if p and not DROP_GLOSS.match(p):
            out.append(p)
    return out


def phrase_words(eng, phrase, max_content):
    """English phrase -> base-form content words, or [] if the phrase has
    more than max_content content tokens."""
    toks = [t.strip(TOKEN_STRIP) for t in re.split(r"[\s/]+", phrase)]
    toks = [t for t in toks if t]
    content = [t for t in toks if t.lower() not in EN_STOP
               and t.lower().removesuffix("'s") not in EN_STOP]
    if not content or len(content) > max_content:
        return []
    words = []
    for t in content:
        w = eng.word(t)
        if w and w not in words:
            words.append(w)
    return words


# A pair from a gloss of 2-3 content words ("to display originality" ->
# display, originality -> 独辟蹊径) is often just context.  Such a pair is
# kept when the Chinese word shares a character with a one-word-gloss
# translation of the same English word (assembly -> 集会 supports 大会;
# telecommunication -> 电信 supports 国际电信联盟), or when the English word
# has at most FANOUT pairs, so rare words keep their only pairs.  It is
# dropped for a common word, where it adds little recall and much noise
# (money -> 值得 from "worth the money").  Sharing a character rather than
# containing a whole word: "substring" lost 大会 for assembly.
FANOUT = 20


def build_zh(eng, path):
    """Return {(en, zh): n} where n is the fewest content words of any gloss
    giving the pair (1 = the gloss was just that word)."""
    pairs = cedict_pairs(eng, path)
    chars = defaultdict(set)
    fanout = defaultdict(int)
    for (e, z), n in pairs.items():
        fanout[e] += 1
        if n == 1:
            chars[e].update(z)
    return {(e, z): n for (e, z), n in pairs.items()
            if n == 1 or fanout[e] <= FANOUT or chars[e] & set(z)}


def cedict_pairs(eng, path):
    pairs = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            m = CEDICT_LINE.match(line)
            if not m:
                continue
            simp, pinyin, body = m.group(2), m.group(3), m.group(4)
            zh = norm_foreign("zh", simp)
            if not zh:
                continue
            proper = pinyin[:1].isupper()
            for gloss in body.split("/"):
                for p in gloss_parts(gloss, proper):
                    ws = phrase_words(eng, p, 3)
                    for w in ws:
                        k = (w, zh[0])
                        pairs[k] = min(pairs.get(k, 9), len(ws))
    return pairs


# ---------------------------------------------------------------------------
# FreeDict dictd files.

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def b64num(s):
    # dictd writes offsets and lengths as base-64 numbers in this alphabet,
    # most significant digit first (dictfmt(1)); not RFC 4648 byte blocks.
    n = 0
    for c in s:
        n = n * 64 + B64.index(c)
    return n


def dictd_entries(name):
    """Yield the text of every entry of freedict-NAME, in index order."""
    yield from dictd_file_entries(f"freedict-{name}")


def dictd_info(name):
    data = gzip.open(DICTD / f"freedict-{name}.dict.dz").read()
    with open(DICTD / f"freedict-{name}.index", encoding="utf-8") as f:
        for line in f:
            h, off, ln = line.rstrip("\n").split("\t")
            if h == "00databaseinfo":
                o, n = b64num(off), b64num(ln)
                return data[o:o + n].decode("utf-8")
    return ""


def strip_parens(text):
    """Remove (nested) parenthesised notes."""
    while True:
        t2 = PARENS.sub(" ", text)
        if t2 == text:
            return text
        text = t2


ENTRY_HEAD = re.compile(r"^(.*?)(?:\s+/([^/]*)/)?(?:\s+<[^>]*>)?\s*$")


def parse_entry(text):
    """-> (headword, pronunciation or None, [translation strings])."""
    lines = text.rstrip("\n").split("\n")
    m = ENTRY_HEAD.match(lines[0])
    head, pron = m.group(1).strip(), m.group(2)
    trans = []
    for line in lines[1:]:
        line = re.sub(r"^\s*\d+\.\s*", "", line).strip()
        line = re.sub(r"<[^>]*>|\[[^\]]*\]", " ", line)
        line = strip_parens(line)
        # Arabeyes glosses add explanations after " - " or ". ".
        line = re.split(r"\s+-\s+|\.\s+|::", line)[0]
        for t in re.split(r"[,;،؛/]", line):
            t = t.strip()
            if t and "..." not in t and "?" not in t and "¿" not in t \
                    and "%" not in t:
                trans.append(t)
    return head, pron, trans


def foreign_words(lang, phrase):
    """Foreign phrase of <= 2 words -> its content words (normalised)."""
    toks = phrase.split()
    if not toks or len(toks) > 2:
        return []
    out = []
    for t in toks:
        for f in norm_foreign(lang, t.strip(TOKEN_STRIP)):
            if f not in out:
                out.append(f)
    return out


def eng_headword(eng, head):
    """English headword of an eng-XX entry -> base form, or None."""
    if " " in head.strip():
        return None
    return eng.word(head.strip().strip(TOKEN_STRIP))


def spa_pron_ref():
    """Pronunciations of eng-fra and eng-rus, made like eng-spa's (Ergane,
    MBRODICT).  In eng-spa a phrase's headword was cut at the first space
    ("take /teikouvər/" is "take over"); its pronunciation still shows the
    whole phrase, so a mismatch with the single word's marks a phrase."""
    ref = defaultdict(set)
    for name in ("eng-fra", "eng-rus"):
        for h, t in dictd_entries(name):
            _, pron, _ = parse_entry(t)
            if pron:
                ref[h].add(pron)
    return ref


def build_freedict(eng, lang, fwd, rev):
    """Candidate pairs {(en, foreign): n} from eng-XX (fwd) and XX-eng (rev);
    n is the number of words of the translation they came from."""
    pairs = {}
    ref = spa_pron_ref() if fwd == "eng-spa" else None

    def add(e, fs, n):
        for f in fs:
            k = (e, f)
            pairs[k] = min(pairs.get(k, 9), n)

    for h, text in dictd_entries(fwd):
        head, pron, trans = parse_entry(text)
        if ref is not None and h in ref and pron not in ref[h]:
            continue
        e = eng_headword(eng, head)
        if not e:
            continue
        for t in trans:
            add(e, foreign_words(lang, t), len(t.split()))
    if rev:
        for h, text in dictd_entries(rev):
            head, pron, trans = parse_entry(text)
            fs = foreign_words(lang, head)
            if not fs:
                continue
            nf = len(head.split())
            for t in trans:
                if len(t.split()) > 2:
                    continue
                es = phrase_words(eng, t, 2)
                # Two words against two words ("Amérique centrale" /
                # "Central America") would pair across: central-amérique.
                if len(fs) > 1 and len(es) > 1:
                    continue
                for e in es:
                    add(e, fs, max(nf, len(t.split())))
    # As for CEDICT (see FANOUT): a common English word keeps only the pairs
    # of its one-word translations ("American woman" gives woman ->
    # américaine, and sixty more nationalities).
    fanout = defaultdict(int)
    for e, _ in pairs:
        fanout[e] += 1
    return {k: n for k, n in pairs.items()
            if n == 1 or fanout[k[0]] <= FANOUT}


# ---------------------------------------------------------------------------
# Mueller English-Russian (7th edition, dictd format, Debian mueller7-dict).
#
# An entry is its headword line, then the body: a [transcription], part of
# speech labels such as _n. _v. _биол., numbered senses ("1.", "1)", "а)"),
# translations separated by "," and ";", and usage examples that give the
# English phrase followed by its Russian ("aboriginal forests первобытные
# леса").  Only the pieces without any Latin letter are translations of the
# headword itself; an example, a cross-reference ("_p-p. от abort") or an
# idiom always contains Latin letters, so it is dropped whole.

MUELLER = "mueller7"
MUELLER_SENSE = re.compile(r"(?:^|\s)(?:\d+[.)]|[а-я]\))(?=\s)")
MUELLER_LABEL = re.compile(r"_\S+")
LATIN_LETTER = re.compile(r"[A-Za-z]")
MUELLER_ABBR = re.compile(r"(?<!\w)(?:[а-яё]+-л|напр|тж|см|разг|и др)\.?"
                          r"(?!\w)")
# A Russian word that Mueller uses in the two-word translations of more than
# this many English words is a generic head ("глупый человек", "делать
# вид"), not a translation of any of them.
MUELLER_GENERIC = 30


def dictd_file_entries(stem):
    """Yield (headword, text) of every entry of /usr/share/dictd/STEM."""
    data = gzip.open(DICTD / f"{stem}.dict.dz").read()
    with open(DICTD / f"{stem}.index", encoding="utf-8") as f:
        for line in f:
            h, off, ln = line.rstrip("\n").split("\t")
            if h.startswith("00database"):
                continue
            o, n = b64num(off), b64num(ln)
            yield h, data[o:o + n].decode("utf-8")


def mueller_translations(text):
    """Body of a Mueller entry -> its translation strings."""
    body = " ".join(text.split("\n")[1:])
    body = re.sub(r"\[[^\]]*\]", " ", body)
    body = strip_parens(body)
    body = MUELLER_LABEL.sub(" ", body)
    # Abbreviated pronouns ("что-л.", "кого-л.": something, somebody) and
    # "напр." (e.g.) are grammar, not translations.
    body = MUELLER_ABBR.sub(" ", body)
    out = []
    for seg in re.split(r"[;:]", MUELLER_SENSE.sub(";", body)):
        # "т.п."/"т.д." (and so on) and "=" (see) mark a description or a
        # reference, not a translation.
        if LATIN_LETTER.search(seg) or any(m in seg for m in
                                           ("~", "т.п.", "т.д.", "=")):
            continue
        out += [t.strip() for t in seg.split(",") if t.strip()]
    return out


def build_mueller(eng):
    """Candidate pairs {(en, ru): n} from Mueller; n as in build_freedict."""
    pairs = {}
    for h, text in dictd_file_entries(MUELLER):
        e = eng_headword(eng, h)
        if not e:
            continue
        for t in mueller_translations(text):
            for f in foreign_words("ru", t):
                k = (e, f)
                pairs[k] = min(pairs.get(k, 9), len(t.split()))
    heads = defaultdict(int)
    for (e, f), n in pairs.items():
        if n > 1:
            heads[f] += 1
    pairs = {k: n for k, n in pairs.items()
             if n == 1 or heads[k[1]] <= MUELLER_GENERIC}
    fanout = defaultdict(int)
    for e, _ in pairs:
        fanout[e] += 1
    return {k: n for k, n in pairs.items()
            if n == 1 or fanout[k[0]] <= FANOUT}


def mueller_source():
    """Title, package and the copyright lines of its Debian copyright file
    (the dictd data has no 00database entries)."""
    path = Path("/usr/share/doc/mueller7-dict/copyright")
    text = path.read_text(encoding="utf-8")
    cr = re.findall(r"^\s*Copyright \(C\) (.*)$", text, re.M)
    if not cr or "GNU General Public License" not in text \
            or "version 2" not in text:
        sys.exit(f"build-lexicons: {path}: copyright lines or GPL-2+ "
                 "licence not found")
    return {
        "name": MUELLER,
        "title": "Mueller English-Russian Dictionary, 7th edition",
        "edition": "2002.02.27", "package": "mueller7-dict",
        "pkgver": dpkg_version("mueller7-dict"),
        "copyright": ", ".join(c.strip() for c in cr), "licence": "GPL-2+",
    }


# ---------------------------------------------------------------------------
# Provenance text for the headers.

def dpkg_version(pkg):
    try:
        p = subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg],
                           capture_output=True, text=True, check=True)
        return p.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        sys.exit(f"build-lexicons: Debian package {pkg} is not installed "
                 f"(apt-get install -y {pkg})")


def freedict_licence(name):
    """(Copyright, License) of the 'Files: NAME/*' stanza of the package's
    Debian copyright file."""
    path = Path(f"/usr/share/doc/dict-freedict-{name}/copyright")
    text = path.read_text(encoding="utf-8")
    for stanza in re.split(r"\n\s*\n", text):
        if re.search(rf"^Files: {re.escape(name)}/\*", stanza, re.M):
            c = re.search(r"^Copyright: (.*)$", stanza, re.M)
            lic = re.search(r"^License: (.*)$", stanza, re.M)
            return c.group(1).strip(), lic.group(1).strip()
    sys.exit(f"build-lexicons: no 'Files: {name}/*' stanza in {path}")


def freedict_source(name):
    info = dictd_info(name)
    title = info.split("\n", 1)[0].strip()
    ed = re.search(r"^Edition: (.*)$", info, re.M)
    pkg = f"dict-freedict-{name}"
    cr, lic = freedict_licence(name)
    return {
        "name": name, "title": title,
        "edition": ed.group(1).strip() if ed else "?",
        "package": pkg, "pkgver": dpkg_version(pkg),
        "copyright": cr, "licence": lic,
    }


LICENCE_NAMES = {
    "GPL-2+": "GNU General Public License, version 2 or (at your option) "
              "any later version",
    "GPL-3+": "GNU General Public License, version 3 or later",
}

LANG_NAMES = {"fr": "French", "es": "Spanish", "ru": "Russian",
              "ar": "Arabic"}

FREEDICT = {
    # lang: (forward, reverse or None)
    "fr": ("eng-fra", "fra-eng"),
    "es": ("eng-spa", "spa-eng"),
    "ru": ("eng-rus", None),
    "ar": ("eng-ara", "ara-eng"),
}


def write_tsv(path, header, lines):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for h in header:
            f.write("# " + h + "\n" if h else "#\n")
        for line in lines:
            f.write(line + "\n")


def prune(pairs, lang):
    """Keep the file under MAX_BYTES: drop first pairs from 3-word glosses
    for English words with many translations, then the longest foreign
    words.  Returns sorted lines."""
    lines = sorted(f"{e}\t{f}" for e, f in pairs)
    size = sum(len(line.encode()) + 1 for line in lines)
    if size <= MAX_BYTES:
        return lines
    fanout = defaultdict(int)
    for e, _ in pairs:
        fanout[e] += 1
    # Least useful first: from longer glosses, for English words with many
    # translations already, with long foreign words.
    order = sorted(pairs, key=lambda k: (-pairs[k], -fanout[k[0]],
                                         -len(k[1]), k))
    drop = set()
    for k in order:
        if size <= MAX_BYTES:
            break
        drop.add(k)
        size -= len(f"{k[0]}\t{k[1]}".encode()) + 1
    print(f"  {lang}: pruned {len(drop)} pairs to stay under "
          f"{MAX_BYTES} bytes", file=sys.stderr)
    return sorted(f"{e}\t{f}" for e, f in pairs if (e, f) not in drop)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cedict", type=Path, default=DEFAULT_CEDICT)
    ap.add_argument("--out", type=Path, default=ROOT / "dictionaries"
                    / "lexicon")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    for pkg in ["wordnet-base", "hunspell", "hunspell-en-us", "hunspell-fr",
                "hunspell-es", "mueller7-dict"] + [f"dict-freedict-{n}" for pair in
                                  FREEDICT.values() for n in pair if n]:
        dpkg_version(pkg)
    if not args.cedict.is_file():
        sys.exit(f"build-lexicons: {args.cedict}: no such file (--cedict)")
    eng = English()
    en_spell = Speller(["en_US"])
    counts = {}

    # --- zh -------------------------------------------------------------
    meta = cedict_meta(args.cedict)
    zh = build_zh(eng, args.cedict)
    lines = prune(zh, "zh")
    header = [
        "en-zh.tsv: English-Chinese (Simplified) word pairs for hexalign",
        "Source: CC-CEDICT, published by MDBG "
        f"(file {args.cedict.name})",
        f"Version: CC-CEDICT export of {meta.get('date', '?')} "
        f"({meta.get('entries', '?')} entries)",
        "Licence: Creative Commons Attribution-ShareAlike 4.0 International "
        "(CC BY-SA 4.0), https://creativecommons.org/licenses/by-sa/4.0/ ;",
        "  this derived file is distributed under the same licence",
        "Attribution: CC-CEDICT, MDBG (https://cc-cedict.org/wiki/); "
        "based on CEDICT, Copyright (C) 1997, 1998 Paul Andrew Denisowski",
        "Changes: glosses split into single English words in base form, "
        "Simplified form only,",
        "  notes/classifiers/cross-references/person names dropped; built by "
        "dictionaries/build-lexicons.py",
        "Format: english<TAB>chinese, sorted by code point, one pair a line",
        f"Pairs: {len(lines)}",
    ]
    write_tsv(args.out / "en-zh.tsv", header, lines)
    counts["zh"] = len(lines)

    # --- fr es ru ar ----------------------------------------------------
    spellers = {"fr": Speller(["fr"]),
                "es": Speller(["es_ES", "es_MX", "es_AR"])}
    for lang, (fwd, rev) in FREEDICT.items():
        srcs = [freedict_source(fwd)] + ([freedict_source(rev)] if rev
                                        else [])
        pairs = build_freedict(eng, lang, fwd, rev)
        if lang == "ru":
            # eng-rus has 1,693 headwords, too few for UN text; Mueller
            # (about 44,000 single-word headwords) supplies the rest.
            srcs.append(mueller_source())
            for k, n in build_mueller(eng).items():
                pairs[k] = min(pairs.get(k, 9), n)
        en_spell.check([e for e, _ in pairs])
        if lang in spellers:
            spellers[lang].check([f for _, f in pairs])
        pairs = {k: n for k, n in pairs.items() if en_spell.ok[k[0]]
                 or k[0] in eng.all_lemmas}
        if lang in spellers:
            sp = spellers[lang]
            pairs = {k: n for k, n in pairs.items() if sp.ok[k[1]]}
        lines = prune(pairs, lang)
        lics = sorted({s["licence"] for s in srcs})
        header = [f"en-{lang}.tsv: English-{LANG_NAMES[lang]} word pairs "
                  "for hexalign"]
        for s in srcs:
            header.append(
                f"Source: {s['title']}, edition {s['edition']} "
                f"(Debian package {s['package']} {s['pkgver']})"
                + (", reversed" if s["name"] == rev else ""))
        header.append("Licence: " + " / ".join(
            f"{lic} ({LICENCE_NAMES.get(lic, lic)})" for lic in lics)
            + ", as stated in "
            + " and ".join(f"/usr/share/doc/{s['package']}/copyright"
                           for s in srcs) + ";")
        header.append("  this derived file is distributed under the same "
                      "licence")
        for s in srcs:
            header.append(f"Attribution: {s['title']}: Copyright "
                          f"{s['copyright']}"
                          + ("; https://freedict.org/"
                             if s["name"] != MUELLER else ""))
        header += [
            "Changes: single-word translations (or the content words of "
            "two-word ones) in base form; built by",
            "  dictionaries/build-lexicons.py",
            f"Format: english<TAB>foreign, sorted by code point, one pair a "
            f"line",
            f"Pairs: {len(lines)}",
        ]
        write_tsv(args.out / f"en-{lang}.tsv", header, lines)
        counts[lang] = len(lines)

    for lang in ("zh", "fr", "es", "ru", "ar"):
        p = args.out / f"en-{lang}.tsv"
        print(f"en-{lang}.tsv\t{counts[lang]} pairs\t"
              f"{p.stat().st_size} bytes")


if __name__ == "__main__":
    main()
