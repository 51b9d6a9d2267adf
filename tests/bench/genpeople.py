#!/usr/bin/env python3
"""genpeople.py - a vault of distinct people for the name-variant benchmark.

    python3 tests/bench/genpeople.py --people 10000 --seed 1 --out /tmp/p [--inject 0.2]

People/<Given Surname>.md cards (type: person, name:) for N distinct people
with realistic names from a dozen naming traditions (Nordic with ø/æ/å,
German with ä/ö/ü/ß, Swedish, Finnish, Polish and Czech with gendered
surnames, Spanish with double surnames, English, Indian, Chinese, Japanese),
given names and surnames drawn Zipf-like (a few very common), a share of
mixed origins, and deliberate near pairs that are different people (Jon and
Jan Berg, Eric and Erik, Hansen and Jansen, Anna and Hanna). No two cards
have the same full name. Customers/ notes are named after a surname
("Hansen Logistics"), as real companies are. About N/2 Meetings/ notes each
name 2-5 people correctly in `participants:`, on a `**With**:` line, in
`[[links]]` and in `## Key Facts` bullets, with first names alone and
capitalised non-names ("Data Lake") around them.

With --inject RATE, that fraction of meetings gets one misspelt mention of
one participant. Kinds (one-letter, transliteration, run-together, swapped,
as-heard) and places (frontmatter, with, fact, link) are spread evenly. A
misspelling is kept only when its intended person is clearly the closest
card: it equals no other card's name (case and accents folded) and every
other card is at least two edits further than the intended one (the
"Jonn Berg" case, close to Jon and to Jan Berg, is never injected).

DIR/.identity-truth.json holds the ground truth: every injected mention
(path, line and columns 1-based in characters, text, intended card, kind,
detail, place, edit distance to the card once folded) and the near pairs among the cards.
Everything but the injected mentions is the same for a given (--people,
--seed) whatever --inject, so the clean and the injected vault differ only
there. Python 3 standard library only.
"""
import argparse
import bisect
import functools
import json
import os
import random
import shutil
import sys
import time
import unicodedata

VERSION = 1
KINDS = ["one-letter", "transliteration", "run-together", "swapped", "as-heard"]
PLACES = ["frontmatter", "with", "fact", "link"]


# ---- word lists (most common first: the Zipf rank) -------------------------

def _w(s):
    return s.split()


NATIONS = {
    "no": (_w("""Jan Anne Ole Lars Kari Erik Anna Jon Ingrid Hanna Nils Marit Knut
Bjørn Solveig Henrik Ragnhild Sigrid Astrid Eirik Håkon Øystein Kristian Silje
Hilde Liv Tor Gunnar Harald Sverre Ørjan Siri Ida Camilla Line Stian Vidar
Kjersti Åse Ragnar Sindre Torunn Kasimir Eivind Tone Randi Geir Arne Terje
Svein Morten Frode Trond Jostein Åsmund Ingvild Gro Bodil Dagny Aud"""),
           _w("""Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen
Karlsen Berg Haugen Hagen Johnsen Jacobsen Dahl Halvorsen Jørgensen Lie Solberg
Moen Bakke Strand Holm Lund Eide Aasen Kjær Sæther Næss Ødegård Bråten Fjeld
Vik Nygård Ruud Iversen Lien Kvamme Ness Tangen Berge Ulvestad Hovland Dæhli
Myhre Sandvik Haugland Rønning Sætre Grønli Løken Brekke Jansen Borg""")),
    "dk": (_w("""Mette Jens Søren Kirsten Rasmus Mads Frederik Kasper Torben Jørgen
Pernille Trine Anne Hanne Lene Susanne Morten Niels Peter Henrik Christian Line
Malene Camilla Lasse Anders Mikkel Emil Freja Ida Sofie Karen Bente Birthe Jesper
Ulrik Asger Bo Dorthe Vibeke"""),
           _w("""Nielsen Jensen Hansen Pedersen Andersen Christensen Larsen Sørensen
Rasmussen Jørgensen Petersen Madsen Kristensen Olsen Thomsen Christiansen
Poulsen Johansen Møller Mortensen Knudsen Mikkelsen Jakobsen Frederiksen
Lauridsen Østergaard Kjærgaard Dalsgaard Vestergaard Bech Holm Skov Krog
Bøgh Friis Lund Nørgaard Mølgaard""")),
    "se": (_w("""Anders Johan Lars Karl Maria Erik Per Anna Mikael Eva Karin Magnus
Björn Göran Sven Nils Åsa Lena Sara Elin Emma Linnea Ebba Maja Agnes Astrid
Katarina Kristina Ulf Stefan Mattias Oskar Viktor Hugo Axel Albin Signe Märta
Gösta Åke Örjan Jonas Fredrik Helena Sofia Ingrid Gustav Hanna"""),
           _w("""Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson
Svensson Gustafsson Pettersson Jonsson Lindberg Lindqvist Lindström Bergström
Holmberg Ström Sjöberg Åberg Öberg Ekström Wallin Engström Forsberg Lundgren
Nyström Håkansson Björk Sandberg Hedlund Åström Berglund Sundberg Lindholm
Söderberg Axelsson Jakobsson Magnusson Henriksson""")),
    "fi": (_w("""Mikko Juha Jukka Timo Matti Antti Jari Ville Sami Aino Eeva Kaisa
Päivi Tiina Minna Sanna Satu Hanna Anna Liisa Heikki Pekka Tuomas Eero Riikka"""),
           _w("""Virtanen Korhonen Mäkinen Nieminen Mäkelä Hämäläinen Laine Heikkinen
Koskinen Järvinen Lehtonen Lehtinen Saarinen Salminen Heinonen Niemi Heikkilä
Kinnunen Salonen Turunen Salo Laitinen Tuominen Rantanen Karjalainen Jokinen
Mattila Savolainen Lahtinen Ahonen""")),
    "de": (_w("""Thomas Michael Andreas Stefan Anna Julia Markus Jürgen Sabine Klaus
Lukas Katharina Jörg Uwe Tobias Felix Maximilian Jonas Hanna Lena Lea Sophie
Marie Ute Birgit Claudia Jutta Günter Dieter Sören Jan Niklas Leon Paul Mia
Greta Frieda Käthe Jörn Ralf Matthias Heike Anke Silke Dörte Christian
Kristian Björn Wolfgang Sebastian"""),
           _w("""Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz
Hoffmann Schäfer Koch Bauer Richter Klein Wolf Schröder Neumann Schwarz
Zimmermann Braun Krüger Hofmann Hartmann Lange Werner Krause Lehmann Köhler
Weiß Jäger Groß Fuchs Vogel Günther Böhm Kühn Götz Pfeiffer Scholz Strauß
Vogt Heß Lorenz Frank Berger Seidel Mueller Meier Maier Mayer Schmitt Schroeder
Goetz Weiss""")),
    "pl": (_w("""Anna Piotr Krzysztof Katarzyna Andrzej Tomasz Małgorzata Paweł Agnieszka
Michał Marcin Barbara Jakub Ewa Łukasz Magdalena Mateusz Joanna Wojciech
Aleksandra Grzegorz Monika Zofia Dorota Marta Jan Kamil Bartosz Szymon
Zuzanna"""),
           _w("""Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski
Zieliński Szymański Woźniak Dąbrowski Kozłowski Jankowski Mazur Krawczyk
Piotrowski Grabowski Nowakowski Pawłowski Michalski Król Wieczorek Jabłoński
Wróbel Majewski Olszewski Stępień Dudek Zając Pietrzak""")),
    "cz": (_w("""Jiří Jan Petr Jana Josef Pavel Marie Martin Eva Tomáš Hana Jaroslav
Anna Miroslav Zdeněk Václav Lenka Ondřej Kateřina Lukáš Lucie Jakub Veronika
Vojtěch Tereza Petra Martina Markéta Zuzana"""),
           _w("""Novák Svoboda Novotný Dvořák Černý Procházka Kučera Veselý Horák
Němec Marek Pokorný Pospíšil Hájek Král Jelínek Růžička Beneš Fiala Sedláček
Doležal Zeman Kolář Navrátil Čermák Urban Vaněk Blažek Kříž""")),
    "es": (_w("""María José Juan Antonio Carmen Manuel Ana Francisco David Isabel
Javier Laura Carlos Lucía Jesús Marta Miguel Cristina Pedro Paula Alejandro
Elena Pablo Sara Sergio Raquel Jorge Pilar Luis Inés Álvaro Nuria Rocío"""),
           _w("""García González Rodríguez Fernández López Martínez Sánchez Pérez
Gómez Martín Jiménez Ruiz Hernández Díaz Moreno Muñoz Álvarez Romero Alonso
Gutiérrez Navarro Torres Domínguez Vázquez Ramos Gil Ramírez Serrano Blanco
Molina Ortega Castro Rubio Núñez Iglesias Garrido Peña""")),
    "en": (_w("""James John David Sarah Michael Emma Robert Mary William Elizabeth
Richard Jennifer Thomas Jessica Daniel Emily Matthew Olivia Mark Sophie Paul
Charlotte Steven Grace Andrew Hannah Anna Christopher Rebecca Jack Harry George
Oliver Sean Catherine Katherine Kate Claire Philip Eric Jon Stephen Shaun
Laura Rachel Lucy Amy Helen Peter"""),
           _w("""Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson
Roberts Robinson Thompson Wright Walker White Edwards Hughes Green Hall Lewis
Harris Clarke Jackson Wood Turner Martin Cooper Hill Ward Morris Moore Clark
King Baker Harrison Morgan Allen Scott Phillips Watson Davis Parker Price
Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins
Bell Shaw Murphy Miller Cox Richards Marshall Anderson Simpson Ellis Adams
Foster Chapman Powell Webb Rogers Gray Grey Mason Hunt Campbell Palmer Holmes
Mills Barnes Knight Lloyd Butler Russell Fisher Stevens Jenkins Murray""")),
    "in": (_w("""Rahul Priya Amit Ananya Aarav Vikram Kavya Rohan Pooja Sanjay Neha
Arjun Divya Rajesh Sneha Suresh Lakshmi Anil Meera Sunil Anjali Deepak Sunita
Aditya Ritu Ishaan Aisha Karthik Venkat Srinivas Ramesh Ravi Nisha Vivaan"""),
           _w("""Sharma Patel Kumar Singh Gupta Reddy Iyer Rao Nair Shah Mehta Verma
Menon Pillai Das Banerjee Chatterjee Mukherjee Bose Ghosh Agarwal Joshi
Kulkarni Desai Naidu Krishnan Subramanian Venkatesan Chopra Kapoor Malhotra
Bhatt Jain Iyengar""")),
    "cn": (_w("""Wei Jing Min Jun Hui Yan Lei Fang Ying Xin Hao Yi Jie Qiang Xiaoming
Xiaoli Yuxuan Zihan Haoran Yuting Mei Lan Jian Ming Ling Zhen Tao Bo Na"""),
           _w("""Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo
He Lin Gao Luo Zheng Liang Xie Song Tang Han Feng Deng Cao Peng Zeng Xiao
Tian Dong Pan Yuan Cai Jiang Yu Du Ye Cheng Su Ding Ren Lu Yao Shen
Zhong""")),
    "jp": (_w("""Hiroshi Takashi Yuki Kenji Haruto Sakura Akira Yuko Satoshi Keiko
Sota Ren Daiki Takumi Kenta Shota Naoki Yoko Akiko Yui Aoi Hina Yuna Rin
Haruka Ayaka Misaki Nanami Emi Mai Yuuki"""),
           _w("""Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi
Kato Yoshida Yamada Sasaki Yamaguchi Matsumoto Inoue Kimura Hayashi Shimizu
Yamazaki Mori Abe Ikeda Hashimoto Yamashita Ishikawa Nakajima Maeda Fujita
Ogawa Goto Okada Hasegawa Murakami Kondo Ishii Saito Sakamoto Endo Aoki
Satō Itō""")),
}
NATION_WEIGHT = {"no": 22, "dk": 8, "se": 12, "fi": 4, "de": 13, "pl": 7,
                 "cz": 4, "es": 8, "en": 12, "in": 6, "cn": 5, "jp": 4}

# Different people a letter or a sound apart (used for deliberate twins).
_NG = [("Jon", "Jan"), ("Eric", "Erik"), ("Anna", "Hanna"), ("Anne", "Anna"),
       ("Kristian", "Christian"), ("Katarina", "Katharina"), ("Maria", "Marie"),
       ("Sara", "Sarah"), ("Nils", "Niels"), ("Karin", "Karen"),
       ("Henrik", "Hendrik"), ("Johan", "Johann"), ("Sofia", "Sophia"),
       ("Lena", "Lina"), ("Tomas", "Thomas"), ("Jens", "Jan"), ("Mikael", "Michael"),
       ("Petr", "Peter"), ("Jana", "Jan"), ("Yuki", "Yuka"), ("Wei", "Wen")]
_NS = [("Hansen", "Jansen"), ("Jensen", "Jansen"), ("Berg", "Borg"),
       ("Larsen", "Larsson"), ("Nilsen", "Nielsen"), ("Olsen", "Olsson"),
       ("Andersen", "Andersson"), ("Meyer", "Meier"), ("Schmidt", "Schmitt"),
       ("Nowak", "Novak"), ("Clark", "Clarke"), ("Gray", "Grey"),
       ("Fischer", "Fisher"), ("Sato", "Saito"), ("Wang", "Wong"),
       ("Holm", "Holmen"), ("Dahl", "Dal"), ("Lie", "Li"), ("Moen", "Moe")]
NEAR_GIVEN, NEAR_SURNAME = {}, {}
for _a, _b in _NG:
    NEAR_GIVEN.setdefault(_a, []).append(_b)
    NEAR_GIVEN.setdefault(_b, []).append(_a)
for _a, _b in _NS:
    NEAR_SURNAME.setdefault(_a, []).append(_b)
    NEAR_SURNAME.setdefault(_b, []).append(_a)

# A given name as a transcriber hears it.
AS_HEARD = {"Katarina": ["Catharina", "Katharina"], "Katharina": ["Catarina"],
            "Kristian": ["Christian"], "Christian": ["Kristian"], "Jon": ["John"],
            "Eric": ["Erik"], "Erik": ["Eric"], "Stephen": ["Steven"],
            "Steven": ["Stephen"], "Sean": ["Shawn", "Shaun"], "Shaun": ["Sean"],
            "Philip": ["Phillip"], "Mikael": ["Michael"], "Michael": ["Mikael"],
            "Jørgen": ["Yørgen", "Jorgan"], "Jürgen": ["Yurgen"],
            "Søren": ["Sören", "Soeren"], "Sören": ["Søren"], "Jens": ["Yens"],
            "Wojciech": ["Voytek", "Wojtek"], "Xiaoming": ["Shiaoming"],
            "Qiang": ["Chiang"], "Jiří": ["Jirzi", "Yiri"], "Ondřej": ["Ondrzej"],
            "Łukasz": ["Wukash", "Lukas"], "Paweł": ["Pavel"], "Niels": ["Nils"],
            "Håkon": ["Hokon", "Haakon"], "Åse": ["Ose"], "Øystein": ["Oystein"],
            "Ragnhild": ["Ragnild"], "Sigrid": ["Siegrid"], "Ingrid": ["Ingerid"],
            "Jesús": ["Hesus"], "Jorge": ["George"], "Aoi": ["Aoy"]}

TOPICS = ["Data Lake", "Billing Platform", "Customer Portal", "rack migration",
          "Q3 Roadmap", "capacity planning", "Project Atlas", "EU residency",
          "backup strategy", "Oslo cluster", "pricing", "Support Desk",
          "onboarding", "security review", "Nordic Expansion", "contract renewal"]
CITIES = ["Oslo", "Bergen", "Trondheim", "Stockholm", "Göteborg", "Copenhagen",
          "Aarhus", "Helsinki", "Berlin", "München", "Warsaw", "Kraków", "Prague",
          "Madrid", "London", "Bangalore", "Shanghai", "Tokyo", "Zürich"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]
TITLES = ["Head of Platform", "Network Lead", "Account Manager", "CTO", "CFO",
          "Staff Engineer", "Engineering Manager", "Product Manager",
          "Solutions Architect", "Head of Procurement", "Data Scientist",
          "SRE Lead", "Sales Director", "Customer Success Manager"]
COMPANY_WORDS = ["Bakery", "Logistics", "Data", "Consulting", "Shipping",
                 "Energy", "Media", "Holding", "Engineering", "Analytics"]


def feminine(nation, given, sur):
    """Polish and Czech surnames agree with a woman's given name."""
    if not given.endswith("a") and given not in ("Marie", "Lucie", "Zofia"):
        return sur
    if nation == "pl":
        for a, b in (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka")):
            if sur.endswith(a):
                return sur[:-len(a)] + b
        return sur
    if sur.endswith("ý"):
        return sur[:-1] + "á"
    if sur.endswith("a"):
        return sur[:-1] + "ová"
    return sur + "ová"


_SPECIAL = {"ø": "o", "æ": "ae", "å": "a", "ß": "ss", "ł": "l", "đ": "d",
            "þ": "th", "ð": "d", "œ": "oe"}
_GERMANIC = {"ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "ue", "ō": "ou",
             "ū": "uu"}


def deaccent(s, table):
    out = []
    for c in s.lower():
        if c in table:
            out.append(table[c])
        elif c in _SPECIAL:
            out.append(_SPECIAL[c])
        else:
            out.append("".join(x for x in unicodedata.normalize("NFKD", c)
                               if not unicodedata.combining(x)))
    return "".join(out).replace("'", "").replace("-", " ")


@functools.lru_cache(maxsize=None)
def fold_forms(text):
    """The ways a reader folds a name: accents stripped, and the Germanic
    transliteration (ø -> oe, ü -> ue, å -> aa)."""
    return frozenset((deaccent(text, {}), deaccent(text, _GERMANIC)))


# ---- names -----------------------------------------------------------------

def zipf_picker(rng, items, s=0.9):
    weights = [1.0 / (r + 1) ** s for r in range(len(items))]
    cum, t = [], 0.0
    for w in weights:
        t += w
        cum.append(t)
    def pick():
        return items[bisect.bisect_left(cum, rng.random() * t)]
    return pick


def make_people(n, rng):
    """n distinct (given, surname, nation) with Zipf-like frequencies."""
    nations = list(NATIONS)
    nw = [NATION_WEIGHT[k] for k in nations]
    pick_given = {k: zipf_picker(rng, NATIONS[k][0]) for k in nations}
    pick_sur = {k: zipf_picker(rng, NATIONS[k][1]) for k in nations}
    seen, people = set(), []

    def add(given, sur, nation):
        key = (given + " " + sur).lower()
        if key in seen or given == sur:
            return False
        seen.add(key)
        people.append((given, sur, nation))
        return True

    tries = 0
    while len(people) < n:
        tries += 1
        nation = rng.choices(nations, nw)[0]
        # About one in eight has a given name from another tradition.
        gnation = rng.choices(nations, nw)[0] if rng.random() < 0.12 else nation
        given = pick_given[gnation]()
        sur = pick_sur[nation]()
        if nation in ("pl", "cz") and gnation == nation:
            sur = feminine(nation, given, sur)
        if nation == "es" and rng.random() < 0.3:
            sur = sur + " " + pick_sur["es"]()
            if len(set(sur.split())) < 2:
                continue
        if tries > 40 * n:  # the common names are used up: take any
            given = rng.choice(NATIONS[gnation][0])
        if not add(given, sur, nation):
            continue
        # A deliberate near pair: someone else a letter or a sound away.
        if rng.random() < 0.04 and len(people) < n:
            if rng.random() < 0.5 and given in NEAR_GIVEN:
                add(rng.choice(NEAR_GIVEN[given]), sur, nation)
            elif sur in NEAR_SURNAME:
                add(given, rng.choice(NEAR_SURNAME[sur]), nation)
    return people, tries


def full(p):
    return p[0] + " " + p[1]


# ---- distances (for the "clearly closest" check and the near pairs) ---------

def lev(a, b):
    """Levenshtein distance, bit-parallel (Myers/Hyyrö): one pass over a."""
    if len(a) < len(b):
        a, b = b, a
    m = len(b)
    if not m:
        return len(a)
    peq = {}
    for i, c in enumerate(b):
        peq[c] = peq.get(c, 0) | (1 << i)
    mask, last = (1 << m) - 1, 1 << (m - 1)
    pv, mv, score = mask, 0, m
    for c in a:
        eq = peq.get(c, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & mask)
        mh = pv & xh
        if ph & last:
            score += 1
        elif mh & last:
            score -= 1
        ph = ((ph << 1) | 1) & mask
        mh = (mh << 1) & mask
        pv = mh | (~(xv | ph) & mask)
        mv = ph & xv
    return score


def bounded_lev(a, b, k):
    """Levenshtein distance of a and b, or k+1 when it is above k."""
    if abs(len(a) - len(b)) > k:
        return k + 1
    return min(lev(a, b), k + 1)


def keys(text):
    """Comparison keys of a name: folded, spaces dropped, and with its
    tokens sorted (so swapped order and run-together cost nothing); each
    with its set of letter pairs for a cheap lower bound."""
    out = set()
    for f in fold_forms(text):
        toks = f.split()
        for kind, key in (("n", "".join(toks)), ("s", "".join(sorted(toks)))):
            out.add((kind, key, frozenset(key[i:i + 2] for i in range(len(key) - 1))))
    return out


def name_dist(ka, kb, k):
    """The least distance between two names' keys, or k+1 when above k.
    An edit removes at most two letter pairs, so keys sharing fewer than
    len(pairs) - 2k of them are further than k apart: skipped unmeasured."""
    best = k + 1
    for ta, a, ga in ka:
        for tb, b, gb in kb:
            if ta != tb or abs(len(a) - len(b)) >= best:
                continue
            if len(ga & gb) < len(ga) - 2 * (best - 1):
                continue
            best = min(best, lev(a, b))
            if best == 0:
                return 0
    return best


class Index:
    """Folded token -> people, and token -> tokens one edit away."""

    def __init__(self, people):
        self.keys = [keys(full(p)) for p in people]
        self.by_tok = {}
        for i, p in enumerate(people):
            for t in self.toks(full(p)):
                self.by_tok.setdefault(t, set()).add(i)
        dels = {}
        for t in self.by_tok:
            for d in self.deletes(t):
                dels.setdefault(d, set()).add(t)
        self.near_tok = {}
        for t in self.by_tok:
            s = set()
            for d in self.deletes(t):
                s |= dels.get(d, set())
            self.near_tok[t] = s

    @staticmethod
    def toks(text):
        return {t for f in fold_forms(text) for t in f.split()}

    @staticmethod
    def deletes(t):
        return {t} | {t[:i] + t[i + 1:] for i in range(len(t))}

    def candidates(self, texts):
        out = set()
        for text in texts:
            for t in self.toks(text):
                for u in self.near_tok.get(t, (t,)):
                    out |= self.by_tok.get(u, set())
        return out


def near_pairs(people, idx, paths):
    """Pairs of different people whose names a reader could confuse: the
    same name once folded, swapped, or one token equal and the other one
    edit away. Found by lookups, not by comparing every pair."""
    by_name = {}
    for i, p in enumerate(people):
        for f in fold_forms(full(p)):
            by_name.setdefault(tuple(f.split()), set()).add(i)
    pairs = set()
    for i, p in enumerate(people):
        for f in fold_forms(full(p)):
            toks = f.split()
            probes = [tuple(toks[::-1])]
            for k, t in enumerate(toks):
                for u in idx.near_tok.get(t, ()):
                    probes.append(tuple(toks[:k] + [u] + toks[k + 1:]))
            for pr in probes:
                for j in by_name.get(pr, ()):
                    if j != i:
                        a, b = min(i, j), max(i, j)
                        pairs.add((a, b, name_dist(idx.keys[a], idx.keys[b], 1)))
    best = {}
    for a, b, d in pairs:
        best[(a, b)] = min(d, best.get((a, b), d))
    return [{"a": paths[a], "b": paths[b], "distance": d}
            for (a, b), d in sorted(best.items())]


# ---- misspellings -----------------------------------------------------------

VOWELS = "aeiouy"
SUBST = {"a": "eo", "e": "ai", "i": "ey", "o": "au", "u": "oi", "y": "i",
         "n": "m", "m": "n", "s": "z", "z": "s", "k": "c", "c": "k", "d": "t",
         "t": "d", "b": "p", "p": "b", "g": "k", "l": "ll", "r": "rr", "v": "w",
         "w": "v", "f": "ph", "h": "", "j": "y"}
TRANSLIT = {"ø": ["o", "oe"], "æ": ["ae", "a"], "å": ["aa", "a"], "ä": ["ae", "a"],
            "ö": ["oe", "o"], "ü": ["ue", "u"], "ß": ["ss"], "ł": ["l"], "ś": ["s"],
            "ń": ["n"], "ó": ["o"], "ą": ["a"], "ę": ["e"], "ż": ["z"], "ź": ["z"],
            "ć": ["c"], "č": ["c"], "ř": ["r"], "š": ["s"], "ž": ["z"], "ě": ["e"],
            "ý": ["y"], "á": ["a"], "í": ["i"], "é": ["e"], "ú": ["u"], "ů": ["u"],
            "ñ": ["n"], "ō": ["o", "ou"], "ū": ["u", "uu"]}
# The other way: an ASCII surname written with the letter it stands for.
REVERSE = [("ue", "ü", "de"), ("oe", "ö", "de se"), ("ss", "ß", "de"),
           ("aa", "å", "no dk se"), ("oe", "ø", "no dk"), ("ae", "æ", "no dk")]


def one_letter(rng, word):
    """Change, add or drop one letter (never the first)."""
    out = []
    for i in range(1, len(word)):
        c = word[i].lower()
        for s in SUBST.get(c, ""):
            if len(s) == 1:
                out.append(("change", word[:i] + s + word[i + 1:]))
        out.append(("add", word[:i] + word[i] + word[i:]))
        if len(word) > 3:
            out.append(("drop", word[:i] + word[i + 1:]))
    rng.shuffle(out)
    return out


def as_heard(given):
    out = [("table", v) for v in AS_HEARD.get(given, [])]
    g = given
    rules = [("K", "C", 0), ("C", "K", 0), ("Ch", "K", 0), ("Kr", "Chr", 0),
             ("J", "Y", 0), ("Y", "J", 0), ("ph", "f", 1), ("f", "ph", 1),
             ("th", "t", 1), ("ck", "k", 1), ("w", "v", 1), ("W", "V", 0),
             ("v", "w", 1), ("V", "W", 0), ("sz", "sh", 1), ("cz", "ch", 1),
             ("X", "Sh", 0), ("x", "sh", 1), ("Q", "Ch", 0), ("Zh", "J", 0),
             ("ei", "ai", 1), ("ai", "ei", 1), ("ou", "u", 1), ("ie", "ee", 1),
             ("ee", "i", 1), ("y", "ie", 2), ("ie", "y", 2), ("i", "y", 2),
             ("c", "k", 1), ("k", "ck", 1), ("sch", "sh", 1), ("Sch", "Sh", 0),
             ("ks", "x", 1), ("x", "ks", 1), ("ph", "ff", 1), ("ø", "u", 1),
             ("ö", "e", 1), ("j", "i", 1)]
    for a, b, where in rules:
        if where == 0 and g.startswith(a):
            out.append(("rule " + a + ">" + b, b + g[len(a):]))
        elif where == 1 and a in g[1:]:
            i = g.index(a, 1)
            out.append(("rule " + a + ">" + b, g[:i] + b + g[i + len(a):]))
        elif where == 2 and g.endswith(a):
            out.append(("rule " + a + ">" + b, g[:-len(a)] + b))
    return [(d, v) for d, v in out if v != given and len(v) > 1]


def variants(rng, kind, given, sur, nation):
    """(detail, text) candidates of one kind for a person, best first."""
    name = given + " " + sur
    if kind == "one-letter":
        g = [("given " + d, v + " " + sur) for d, v in one_letter(rng, given)]
        s = [("surname " + d, given + " " + v) for d, v in one_letter(rng, sur)]
        out = g + s
        rng.shuffle(out)
        return out
    if kind == "transliteration":
        out = []
        if any(c in TRANSLIT for c in name):
            for pick in (0, 1):
                t = "".join(TRANSLIT[c][min(pick, len(TRANSLIT[c]) - 1)]
                            if c in TRANSLIT else c for c in name)
                out.append(("fold" if pick == 0 else "fold alt", t))
        for a, b, where in REVERSE:
            i = sur.find(a, 1)
            if i > 0 and nation in where:
                out.append(("reverse " + a + ">" + b,
                            given + " " + sur[:i] + b + sur[i + 2:]))
        return list({t: (d, t) for d, t in out}.values())
    if kind == "run-together":
        s = sur.replace(" ", "")
        out = [("lower", given + s.lower())]
        if rng.random() < 0.3:
            out.insert(0, ("camel", given + s))
        return out
    if kind == "swapped":
        return [("swapped", sur + " " + given)]
    if kind == "as-heard":
        out = [(d, v + " " + sur) for d, v in as_heard(given)]
        table = [x for x in out if x[0] == "table"]
        rest = [x for x in out if x[0] != "table"]
        rng.shuffle(rest)
        return table + rest
    raise ValueError(kind)


# ---- notes ------------------------------------------------------------------

FACTS = ["{P} will send the figures by Friday.",
         "{P} asked for the {T} budget to be reviewed before {M}.",
         "{P} owns the {T} runbook.",
         "{P} confirmed the {C} Office move is on track.",
         "{P} reported that the {T} pilot slipped two weeks.",
         "{P}'s team will take over the {T} backlog.",
         "{P} and {Q} will pair on the {T} migration.",
         "{P} presented the {T} Roadmap to the Steering Group.",
         "Action: {P} to book the {C} Data Center visit in {M}."]
LOOSE = ["The {C} Data Center contract renews in {M}.",
         "Budget Review moved to the first week of {M}.",
         "{F} wants the {T} runbook reviewed before the move.",
         "Next Steps: agree the {T} scope with Legal and Finance."]


def card(p, company, boss):
    name = full(p)
    return ("---\ntype: person\nname: %s\ncompany: %s\ntitle: %s\ntags:\n"
            "- type/person\n---\n\n# %s\n\n## Key Facts\n\n"
            "- %s is the %s at %s.\n- %s reports to [[%s]].\n"
            "- %s prefers written agendas sent a day ahead.\n"
            % (name, company, p[3], name, name, p[3], company, name, boss,
               p[0]))


def customer(name):
    return ("---\ntype: customer\nname: %s\n---\n\n# %s\n\nA customer "
            "since %s; see the meetings that name it.\n" % (name, name, 2015 + len(name) % 10))


class Meeting:
    """A meeting as lines, with where each participant is named, so one
    mention can be replaced and its line and columns reported."""

    def __init__(self, rng, i, people, parts, entity):
        self.rng = rng
        self.parts = parts
        self.spots = {}  # (person, place) -> [(line index, column, text)]
        date = "2025-%02d-%02d" % (1 + i % 12, 1 + (i * 7) % 28)
        topic = rng.choice(TOPICS)
        first = people[parts[0]][0]
        self.title = "%s - %s sync with %s %d" % (date, topic, first, i)
        names = {j: full(people[j]) for j in parts}
        L = ["---", "type: meeting", "title: " + self.title,
             "date: '%s'" % date, "participants:"]
        for j in parts:
            self.at(j, "frontmatter", len(L), 3, names[j])
            L.append("- " + names[j])
        if rng.random() < 0.2:
            L.append("- Myself")
        L += ["entity: " + entity, "tags:", "- type/meeting", "---", "",
              "# " + self.title, ""]
        line, col = "**With**: ", 11
        for k, j in enumerate(parts):
            if k:
                line += ", "
            self.at(j, "with", len(L), len(line) + 1, names[j])
            line += names[j]
        L += [line, "", "%s opened the %s sync; %s took notes." %
              (first, topic, people[parts[-1]][0]), "", "## Key Facts", ""]
        order = list(parts)
        rng.shuffle(order)
        for k, j in enumerate(order):
            f = rng.choice(FACTS)
            q = order[(k + 1) % len(order)]
            pre = "- " + f[:f.index("{P}")]
            self.at(j, "fact", len(L), len(pre) + 1, names[j])
            text = f.format(P=names[j], Q=names[q], T=rng.choice(TOPICS),
                            C=rng.choice(CITIES), M=rng.choice(MONTHS))
            L.append("- " + text)
            if rng.random() < 0.3:
                L.append("- " + rng.choice(LOOSE).format(
                    F=people[j][0], T=rng.choice(TOPICS), C=rng.choice(CITIES),
                    M=rng.choice(MONTHS)))
        L += ["", "## Related", ""]
        for j in parts:
            self.at(j, "link", len(L), 5, names[j])
            L.append("- [[%s]]" % names[j])
        L.append("- [[%s]]" % entity)
        self.lines = L

    def at(self, j, place, line, col, text):
        self.spots.setdefault((j, place), []).append((line, col, text))

    def replace(self, j, place, new):
        line, col, old = self.rng.choice(self.spots[(j, place)])
        s = self.lines[line]
        assert s[col - 1:col - 1 + len(old)] == old, (s, col, old)
        self.lines[line] = s[:col - 1] + new + s[col - 1 + len(old):]
        return line + 1, col, col + len(new)

    def text(self):
        return "\n".join(self.lines) + "\n"


def generate(n, seed, out, inject):
    t0 = time.time()
    rng = random.Random(seed)
    raw, tries = make_people(n, rng)
    people = [(g, s, nat, rng.choice(TITLES)) for g, s, nat in raw]
    paths = ["People/%s.md" % full(p) for p in people]
    surnames = sorted({p[1].split()[0] for p in people})
    cust = sorted({"%s %s" % (rng.choice(surnames), rng.choice(COMPANY_WORDS))
                   for _ in range(max(5, n // 40))})
    if os.path.exists(out):
        shutil.rmtree(out)
    for d in ("People", "Meetings", "Customers"):
        os.makedirs(os.path.join(out, d))
    for i, p in enumerate(people):
        boss = full(people[rng.randrange(n)] if n > 1 else p)
        if boss == full(p):
            boss = full(people[(i + 1) % n])
        write(out, paths[i], card(p, rng.choice(cust), boss))
    for c in cust:
        write(out, "Customers/%s.md" % c, customer(c))

    idx = Index(people)
    meetings = []
    for i in range(max(1, n // 2)):
        mrng = random.Random("%d/meeting/%d" % (seed, i))
        k = mrng.randint(2, min(5, n))
        parts = mrng.sample(range(n), k)
        entity = mrng.choice(cust) if mrng.random() < 0.7 else full(people[parts[0]])
        meetings.append(Meeting(mrng, i, people, parts, entity))

    truth, skipped = [], 0
    if inject > 0:
        irng = random.Random("%d/inject" % seed)
        want = round(inject * len(meetings))
        pool = list(range(len(meetings)))
        irng.shuffle(pool)
        for q in range(want):
            kind, place = KINDS[q % len(KINDS)], PLACES[q % len(PLACES)]
            hit = None
            for pi, mi in enumerate(pool):
                hit = pick_variant(irng, idx, people, meetings[mi], kind)
                if hit:
                    del pool[pi]
                    break
                skipped += 1
            if not hit:
                continue
            j, detail, text, dist = hit
            m = meetings[mi]
            line, col, end = m.replace(j, place, text)
            truth.append({"path": "Meetings/%s.md" % m.title, "line": line,
                          "column": col, "endColumn": end, "text": text,
                          "intended": paths[j], "name": full(people[j]),
                          "kind": kind, "detail": detail, "place": place,
                          "distance": dist})
    for m in meetings:
        write(out, "Meetings/%s.md" % m.title, m.text())

    counts = {}
    for p in people:
        for t, key in ((p[0], "given"), (p[1], "surname")):
            counts.setdefault(key, {}).setdefault(t, 0)
            counts[key][t] += 1
    top = {k: sorted(v.items(), key=lambda x: -x[1])[:8] for k, v in counts.items()}
    pairs = near_pairs(people, idx, paths)
    meta = {"version": VERSION, "people": n, "seed": seed, "inject": inject,
            "meetings": len(meetings), "customers": len(cust),
            "injected": truth, "skippedCandidates": skipped,
            "nearPairs": pairs, "top": top, "sampleTries": tries}
    with open(os.path.join(out, ".identity-truth.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, ensure_ascii=False, indent=1)
    with open(os.path.join(out, ".genpeople.json"), "w") as f:
        json.dump({"version": VERSION, "people": n, "seed": seed,
                   "inject": inject}, f)
    return meta, time.time() - t0


def pick_variant(rng, idx, people, m, kind):
    """A participant of m and a misspelling of the given kind that points
    clearly at them: (person, detail, text, distance) or None."""
    order = list(m.parts)
    rng.shuffle(order)
    for j in order:
        g, s, nation = people[j][:3]
        for detail, text in variants(rng, kind, g, s, nation)[:12]:
            if text == full(people[j]) or "  " in text:
                continue
            kt = keys(text)
            d = name_dist(kt, idx.keys[j], 4)
            if d > 2:
                continue
            ok = True
            for o in idx.candidates([text, full(people[j])]):
                if o != j and name_dist(kt, idx.keys[o], d + 1) <= d + 1:
                    ok = False
                    break
            if ok:
                return j, detail, text, d
    return None


def write(root, rel, text):
    with open(os.path.join(root, rel), "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--people", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--inject", type=float, default=0.0,
                    help="fraction of meetings given one misspelt mention")
    a = ap.parse_args()
    if a.people < 2:
        sys.exit("--people must be at least 2")
    meta, secs = generate(a.people, a.seed, a.out, a.inject)
    kinds = {}
    for t in meta["injected"]:
        kinds[t["kind"]] = kinds.get(t["kind"], 0) + 1
    print("%d people, %d meetings, %d customers, %d near pairs, %d injected %s "
          "in %.1f s -> %s" % (a.people, meta["meetings"], meta["customers"],
                               len(meta["nearPairs"]), len(meta["injected"]),
                               kinds, secs, a.out))


if __name__ == "__main__":
    main()
