#!/usr/bin/env python3
"""genvault.py - generate a synthetic Obsidian-style vault for benchmarks.

    python3 tests/bench/genvault.py --notes 10000 --out /tmp/vault-bench-10000 [--seed 1] [--dup-rate 0.15]

The vault has the shape of our users' notes (see /work/shared/README.md):
People/ person cards, Contacts/ (a second card for some people: ambiguous
stems), Projects/, Customers/, Meetings/<person>/ meeting notes, Inbox/ and
Inbox/_archive/<date>/, Templates/Person.md, "_Open Topics.md" and a
.obsidian/ folder. Notes hold wikilinks of every form ([[X]], [[X#Heading]],
[[X#^id]], [[Alias]], [[X|text]], [[path/X.md|text]], ![[X]]), some of them
unresolved or misspelt, block ids, tags, code containing [[not links]],
emoji, accented names, a few CRLF notes and a few with invalid frontmatter.
Facts repeat at a controlled rate (--dup-rate): exact duplicates, near
duplicates (one word substituted or inserted) and subsumed facts.

Output is a function of (--seed, --notes, --dup-rate) only: every note has
its own random stream, so the number of worker processes does not matter.
Average note size is about 6 KB (10,000 notes ~ 60 MB). A hidden file
.genvault.json records the parameters (bench.py uses it to reuse a vault).
Python 3 standard library only.
"""
import argparse
import hashlib
import json
import os
import random
import sys
import time
import unicodedata

# ---- word lists ------------------------------------------------------------

FIRST = """Ragnar Priya Tomasz Marek Zoë Ingrid Sven Björn Anders Astrid Freya Leif
Olga Ivan Dmitri Natasha Yuki Haruto Sakura Kenji Mei Wei Li Chen Jun Hana
Aarav Ananya Rohan Kavya Arjun Diya Ishaan Meera Omar Layla Yusuf Amira Karim
Fatima Noah Emma Liam Olivia Lucas Mia Ethan Sofia Mateo Isabella José Chloé
Renée André Zoltán Łukasz Søren Ólafur Jürgen Göran Åsa Émile Hélène Inès
François Nuño Iñigo Ramón Ximena Joaquín Tadeusz Wojciech Agnieszka Małgorzata
Dorota Kasia Piotr Pavel Jana Tereza Ondřej Jiří Miroslav Zdeněk Attila Réka
Bence Dóra Emese Aino Eero Juha Kaisa Mikko Niamh Siobhán Ciarán Aoife Seán
Oisín Dafydd Rhys Gwen Carys Moana Tane Aroha Kai Leilani Mateus Thiago Luana
Bruno Caio Renata Kwame Ama Kofi Abena Chidi Ngozi Emeka Zainab Tariq Samir
Nadia Leila Reza Shirin Dariusz Elif Emre Zeynep Mehmet Ayşe Burak Deniz
Grace Henry Alice George Charlotte Oliver Amelia Harry Isla Jack Poppy Ava
Daniel Sarah David Rachel Michael Laura James Anna Robert Julia Thomas Nina
Peter Eva Paul Clara Simon Lena Martin Greta Felix Ida Hugo Elsa Oscar Alma""".split()

LAST = [w.replace("_", " ") for w in """Eiriksson Natarajan Wierzbicki Nowak Ólafsdóttir Larsen Johansson Lindqvist
Berg Holm Nilsson Andersen Petrov Ivanova Sokolov Tanaka Suzuki Watanabe
Nakamura Kobayashi Zhang Wang Liu Huang Zhou Sharma Patel Iyer Reddy Menon
Kapoor Haddad Nasser Khalil Mansour Smith Johnson Williams Brown Garcia
Martínez Rodríguez López González Hernández Pérez Müller Schmidt Schneider
Fischer Weber Meyer Wagner Becker Schäfer Dubois Lefèvre Moreau Laurent
Girard Rousseau Rossi Russo Ferrari Esposito Bianchi Romano Kowalski
Wiśniewski Wójcik Kamiński Lewandowski Zieliński Dvořák Novák Svoboda Černý
Kovács Szabó Tóth Nagy Horváth Virtanen Korhonen Mäkinen Nieminen Murphy
Kelly O'Brien Byrne Ó'Súilleabháin Jones Davies Evans Thomas Roberts Silva
Santos Oliveira Souza Pereira Costa Almeida Mensah Owusu Boateng Okafor
Adeyemi Eze Nwosu Rahman Hossain Karimi Hosseini Yılmaz Kaya Demir Şahin
Çelik Öztürk Taylor Wilson Clarke Walker Wright Hughes Edwards Green Hall
Wood Harris Lewis Young King Scott Baker Adams Nelson Carter Mitchell
Fernández Gómez Díaz Sánchez Ramírez Torres Flores Rivera Castillo Morales
Van_Dijk De_Vries Jansen Bakker Visser Smit Meijer De_Boer Mulder Bos Vos
Novotný Procházka Krejčí Marek Pokorný Hájek Jelínek Růžička Beneš Fiala
Sedláček Doležal Zeman Kolář Navrátil Čermák Vaněk Urban Blažek Kříž""".split()]

CJK_PEOPLE = ["李娜", "王芳", "田中 花子", "김민준", "山本 健"]
EMOJI_NAMES = ["🌊 Ocean Team", "🚀 Launch Crew"]

COMPANY_A = """Halden Northwind Orbital Brightwave Cobalt Meridian Aurora Vantage Summit
Nimbus Helix Quartz Polaris Beacon Granite Silverline Bluepeak Redwood Ironbridge
Stellar Lumen Vector Cascade Pioneer Keystone Horizon Atlas Zenith Nova Apex
Falcon Harbor Evergreen Crimson Sapphire Ember Tidal Frost Copper Obsidian Cedar
Aspen Willow Maple Birch Juniper Sequoia Alder Hawthorn Rowan""".split()
COMPANY_B = """Storage Cloud Compute Systems Networks Labs Analytics Data Logistics
Energy Health Capital Robotics Software Dynamics Partners Industries Media
Security Devices Foods Motors Pharma Retail Telecom Bank Insurance""".split()

TITLES = ["VP of Cloud", "Director of Product, Cloud", "CTO", "CEO", "Head of Storage",
          "Principal Engineer", "Staff Engineer", "Engineering Manager", "Account Executive",
          "Solutions Architect", "Head of Procurement", "VP of Engineering", "COO", "CFO",
          "Product Manager", "Data Scientist", "SRE Lead", "Head of Partnerships",
          "Sales Director, EMEA", "Customer Success Manager", "Chief Architect",
          "Director of Infrastructure", "Security Officer", "Research Lead"]

PROJ_A = """Lighthouse Orion Atlas Phoenix Hermes Apollo Gemini Titan Nebula Comet
Aurora Borealis Mercury Neptune Kepler Hubble Voyager Pathfinder Odyssey Quasar
Pulsar Vega Sirius Andromeda Cassini Juno Artemis Helios Zephyr Tempest Granite
Bedrock Keystone Cornerstone Lodestar Compass Sextant Anchor Harbor Beacon""".split()
PROJ_FORM = ["Project {w}", "{w} Migration ({r})", "{w} Rollout", "{w} Pilot", "{w} v2",
             "{w} Integration", "{w} Cost Review", "{w}"]
REGIONS = ["EU region", "US East", "APAC", "Nordics", "LATAM", "UK", "EU MVP"]

TOPICS = ["failover options", "pricing", "the object store angle", "capacity planning",
          "the renewal", "GPU supply", "contract terms", "the roadmap", "hiring",
          "the EU data residency question", "backup strategy", "latency targets",
          "the proof of concept", "budget for next year", "the security review",
          "support escalations", "the partner program", "onboarding", "the migration plan",
          "benchmarks", "licensing", "the board meeting", "quarterly goals", "travel plans"]

WORDS = """storage cloud latency throughput cluster migration region failover budget
contract renewal pilot benchmark roadmap customer partner integration capacity
pricing discount support escalation deadline review proposal architecture design
object store file tier GPUs flash supply chain data reduction replication backup
snapshot compliance residency security audit onboarding training hiring team
quarter target forecast pipeline deal margin cost savings performance reliability
network bandwidth NIC VM instance container Kubernetes database warehouse lake
analytics dashboard metric incident outage postmortem runbook on-call SLA""".split()

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
CITIES = ["Reykjavik", "Oslo", "Warsaw", "Berlin", "Lisbon", "Madrid", "Paris", "London",
          "Dublin", "Tokyo", "Singapore", "São Paulo", "Zürich", "Kraków", "Göteborg"]

PERSON_HEADINGS = ["Key Facts", "Recent Context", "Topics", "Key Decisions", "Tasks"]
MEETING_HEADINGS = ["Summary", "Action Items", "Decisions", "Key Information", "Related"]
PROJECT_HEADINGS = ["Milestones", "Key Facts", "Status", "Risks"]
CUSTOMER_HEADINGS = ["Contacts", "Key Facts", "Opportunities"]
BAD_HEADINGS = ["Key Fact", "Milestone", "Contact", "Decisions Made", "Background"]

# Near-duplicate rewrites: one word substituted, inserted or dropped.
NEAR = [(" at ", " for "), (" is the ", " is "), (" roughly ", " about "),
        (" about ", " roughly "), (" the ", " "), (" with ", " alongside "),
        (" and ", " and also "), (" expects ", " expected "), (" will ", " plans to "),
        (" runs ", " leads "), (" in ", " during ")]


# ---- helpers ---------------------------------------------------------------

class Rng(random.Random):
    """random.Random with cheaper choice/randrange/randint (one random() call
    each; the tiny bias does not matter here). Deterministic like its base."""

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def randrange(self, a, b=None):
        if b is None:
            return int(self.random() * a)
        return a + int(self.random() * (b - a))

    def randint(self, a, b):
        return a + int(self.random() * (b - a + 1))


def h64(*parts):
    """Stable hash of parts (not Python's salted hash())."""
    d = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
    return int.from_bytes(d, "little")


def ascii_fold(s):
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def misspell(rng, s):
    """One letter dropped, doubled or swapped with its neighbour."""
    idx = [i for i, c in enumerate(s) if c.isalpha()]
    if len(idx) < 4:
        return s + "e"
    i = rng.choice(idx[1:-1])
    op = rng.randrange(3)
    if op == 0:
        return s[:i] + s[i + 1:]
    if op == 1:
        return s[:i] + s[i] + s[i:]
    return s[:i] + s[i + 1] + s[i] + s[i + 2:] if i + 2 <= len(s) else s[:i] + s[i:]


def date_str(rng, y0=2023, y1=2026):
    return "%04d-%02d-%02d" % (rng.randint(y0, y1), rng.randint(1, 12), rng.randint(1, 28))


# ---- the world: every note's name, known to every note ---------------------

class World:
    def __init__(self, n, seed, dup_rate):
        self.n, self.seed, self.dup_rate = n, seed, dup_rate
        rng = Rng(h64("world", seed))
        n_fixed = 2  # Templates/Person.md, _Open Topics.md
        n_people = max(3, round(n * 0.28))
        n_contacts = round(n * 0.01)
        n_proj = max(1, round(n * 0.05))
        n_cust = max(1, round(n * 0.05))
        n_inbox = round(n * 0.13)
        n_meet = max(0, n - n_fixed - n_people - n_contacts - n_proj - n_cust - n_inbox)

        # People: unique names, some accented, a few CJK / emoji.
        seen = set()
        self.people = []
        special = CJK_PEOPLE + EMOJI_NAMES
        for i in range(n_people):
            if i % 997 == 500 and special:
                name = special[(i // 997) % len(special)]
                if name in seen:
                    name = None
            else:
                name = None
            tries = 0
            while name is None or name in seen:
                name = rng.choice(FIRST) + " " + rng.choice(LAST)
                tries += 1
                if tries > 20:
                    name = "%s %s. %s" % (rng.choice(FIRST), chr(65 + rng.randrange(26)),
                                          rng.choice(LAST))
                    if tries > 60:
                        name += " %d" % i
            seen.add(name)
            self.people.append(name)
        self.person_aliases = []
        for i, name in enumerate(self.people):
            r = Rng(h64("alias", seed, i))
            al = []
            folded = ascii_fold(name)
            if folded != name:
                al.append(folded)
            k = r.random()
            if k < 0.35:
                parts = name.split(" ")
                if len(parts) >= 2:
                    al.append(parts[0] + " " + misspell(r, parts[-1]))
            if 0.35 <= k < 0.5 and " " in name:
                al.append(name.split(" ")[0][0] + ". " + name.split(" ")[-1])
            if r.random() < 0.08:
                al.append(name.split(" ")[0])  # first name alone: often ambiguous
            self.person_aliases.append(al)

        seen_c = set()
        self.customers = []
        for i in range(n_cust):
            nm = None
            tries = 0
            while nm is None or nm in seen_c:
                nm = rng.choice(COMPANY_A) if rng.random() < 0.2 and tries < 5 else \
                    rng.choice(COMPANY_A) + " " + rng.choice(COMPANY_B)
                tries += 1
                if tries > 30:
                    nm += " %d" % i
            seen_c.add(nm)
            self.customers.append(nm)
        self.companies = self.customers + [a + " " + b for a in COMPANY_A[:12] for b in COMPANY_B[:3]]
        self.customer_aliases = []
        for i, nm in enumerate(self.customers):
            r = Rng(h64("calias", seed, i))
            al = []
            if " " in nm and r.random() < 0.5:
                al.append(nm.split(" ")[0] + " Cloud")
            if r.random() < 0.3:
                al.append("".join(w[0] for w in nm.split(" ")).upper() + ("%d" % i if i > 20 else ""))
            self.customer_aliases.append(al)

        seen_p = set()
        self.projects = []
        for i in range(n_proj):
            nm = None
            tries = 0
            while nm is None or nm in seen_p:
                nm = rng.choice(PROJ_FORM).format(w=rng.choice(PROJ_A), r=rng.choice(REGIONS))
                tries += 1
                if tries > 10:
                    nm = "%s %s %d" % (rng.choice(PROJ_A), rng.choice(PROJ_A), i)
            seen_p.add(nm)
            self.projects.append(nm)
        self.project_aliases = []
        for i, nm in enumerate(self.projects):
            if nm.startswith("Project ") and Rng(h64("palias", seed, i)).random() < 0.6:
                self.project_aliases.append([nm[len("Project "):]])
            else:
                self.project_aliases.append([])

        # Meetings: Meetings/<primary person>/<date> - <title>.md
        used = set()
        self.meetings = []  # (folder person idx, stem, participants, date, title)
        self.person_meetings = [[] for _ in self.people]
        for j in range(n_meet):
            p = rng.randrange(len(self.people))
            others = [rng.randrange(len(self.people)) for _ in range(rng.randint(1, 4))]
            parts = [p] + [o for o in others if o != p]
            d = date_str(rng)
            first = self.people[p].split(" ")[0]
            form = rng.randrange(5)
            if form == 0:
                title = "1-1 with %s, %s" % (first, rng.choice(TOPICS))
            elif form == 1:
                title = "%s sync on %s" % (rng.choice(self.customers), rng.choice(TOPICS))
            elif form == 2:
                title = "Prep for %s talks" % rng.choice(self.customers)
            elif form == 3:
                title = "%s review" % rng.choice(self.projects)
            else:
                title = "%s and %s on %s" % (first, self.people[parts[-1]].split(" ")[0],
                                             rng.choice(TOPICS))
            stem = "%s - %s" % (d, title)
            while (p, stem) in used:
                stem += " (2)"
            used.add((p, stem))
            self.meetings.append((p, stem, parts, d, title))
            self.person_meetings[p].append(j)

        self.inbox = []
        for j in range(n_inbox):
            d = date_str(rng, 2024, 2026)
            hh, mm = rng.randrange(8, 19), rng.randrange(60)
            a, b = rng.randrange(len(self.people)), rng.randrange(len(self.people))
            stem = "%s %02d %02d - %s %s 1-1" % (d, hh, mm, self.people[a].split(" ")[0],
                                                 self.people[b].split(" ")[0])
            folder = "Inbox" if rng.random() < 0.4 else "Inbox/_archive/%s" % date_str(rng, 2025, 2026)
            while (folder, stem) in used:
                stem += " (2)"
            used.add((folder, stem))
            self.inbox.append((folder, stem, [a, b], d))

        self.contacts = rng.sample(range(len(self.people)), min(n_contacts, len(self.people)))

        # The note list: (kind, index). Index order = generation order.
        self.notes = ([("template", 0), ("open", 0)]
                      + [("person", i) for i in range(n_people)]
                      + [("contact", i) for i in range(n_contacts)]
                      + [("project", i) for i in range(n_proj)]
                      + [("customer", i) for i in range(n_cust)]
                      + [("meeting", i) for i in range(n_meet)]
                      + [("inbox", i) for i in range(n_inbox)])

    # Block ids of a note are a function of (seed, kind, index).
    def block_ids(self, kind, i):
        h = h64("blocks", self.seed, kind, i)
        k = h % 4
        return ["%06x" % ((h >> (8 + 6 * j)) & 0xFFFFFF) for j in range(k)]


# ---- text generation -------------------------------------------------------

class Gen:
    def __init__(self, world, rng):
        self.w = world
        self.r = rng

    # One link, in one of the many forms users write.
    def link(self, prefer=None):
        r, w = self.r, self.w
        x = r.random()
        kind = prefer
        if kind is None:
            kind = "person" if x < 0.55 else "project" if x < 0.7 else "customer" if x < 0.85 \
                else "meeting" if w.meetings else "person"
        if kind == "person":
            i = r.randrange(len(w.people))
            name, aliases, folder, heads = w.people[i], w.person_aliases[i], "People", PERSON_HEADINGS
        elif kind == "project":
            i = r.randrange(len(w.projects))
            name, aliases, folder, heads = w.projects[i], w.project_aliases[i], "Projects", PROJECT_HEADINGS
        elif kind == "customer":
            i = r.randrange(len(w.customers))
            name, aliases, folder, heads = w.customers[i], w.customer_aliases[i], "Customers", CUSTOMER_HEADINGS
        else:
            i = r.randrange(len(w.meetings))
            p, name, _, _, _ = w.meetings[i]
            aliases, folder, heads = [], "Meetings/" + w.people[p], MEETING_HEADINGS
        y = r.random()
        if y < 0.50:
            return "[[%s]]" % name
        if y < 0.58:
            if aliases:
                return "[[%s]]" % r.choice(aliases)
            return "[[%s]]" % name
        if y < 0.66:
            return "[[%s|%s]]" % (name, name.split(" ")[0])
        if y < 0.69:
            return "[[%s/%s.md|%s]]" % (folder, name, name)
        if y < 0.77:
            return "[[%s#%s]]" % (name, r.choice(heads))
        if y < 0.82:
            ids = w.block_ids(kind, i)
            if ids:
                return "[[%s#^%s]]" % (name, r.choice(ids))
            if r.random() < 0.2:
                return "[[%s#^%06x]]" % (name, r.getrandbits(24))  # unresolved block
            return "[[%s#%s]]" % (name, r.choice(heads))
        if y < 0.85:
            return "![[%s]]" % name
        if y < 0.88:
            return "[[%s]]" % misspell(r, name)
        if y < 0.91:
            return "[[%s %s]]" % (r.choice(PROJ_A), r.choice(COMPANY_B))  # unresolved
        if y < 0.92:
            return "[[%s#%s]]" % (name, r.choice(BAD_HEADINGS))
        if y < 0.93:
            return "[[%s ]]" % name  # trailing space
        return "[[%s]]" % name

    def person_ref(self, i):
        """A person's name in prose, sometimes with a link, sometimes an alias spelling."""
        r, w = self.r, self.w
        x = r.random()
        if x < 0.3:
            return "[[%s]]" % w.people[i]
        if x < 0.4 and w.person_aliases[i]:
            return r.choice(w.person_aliases[i])
        return w.people[i]

    def fact(self, subj):
        """(core, extension) of one fact about subj."""
        r, w = self.r, self.w
        t = r.randrange(14)
        comp = r.choice(w.companies)
        other = self.person_ref(r.randrange(len(w.people)))
        ext = ""
        if t == 0:
            core = "%s is the %s at %s" % (subj, r.choice(TITLES), comp)
            ext = " and previously ran %s at %s, where they helped build %s %s" % (
                r.choice(WORDS), r.choice(w.companies), r.choice(COMPANY_A), r.choice(WORDS).title())
        elif t == 1:
            core = "%s joined %s from %s in %s %d" % (subj, comp, self.link("customer"),
                                                     r.choice(MONTHS), r.randint(2015, 2026))
        elif t == 2:
            core = '%s shared a slide deck titled "%s %s from %s to %s.pptx" with %s' % (
                subj, r.choice(REGIONS), r.choice(WORDS), r.choice(WORDS), r.choice(WORDS), other)
            ext = " and granted edit access"
        elif t == 3:
            core = "%s proposed a joint approach with %s where %s builds deep integration with %s" % (
                subj, self.link("customer"), r.choice(COMPANY_A), r.choice(w.companies))
            ext = ", keeping %s as the fast %s next to the %s" % (
                r.choice(COMPANY_A), r.choice(WORDS), r.choice(WORDS))
        elif t == 4:
            core = "%s expects %s and %s to visit %s on %s" % (
                subj, other, self.person_ref(r.randrange(len(w.people))), r.choice(CITIES), date_str(r))
        elif t == 5:
            core = "%s stated that %s runs a competing project with roughly %d developers" % (
                subj, other, r.randint(3, 300))
            ext = ", including a new %s %s" % (r.choice(WORDS), r.choice(WORDS))
        elif t == 6:
            core = "A comparison slide claims roughly %dx %s reduction and ~%.1fx more %s" % (
                r.randint(2, 9), r.choice(WORDS), r.uniform(1.1, 4), r.choice(WORDS))
        elif t == 7:
            core = "%s owns %s for the %s %s" % (subj, r.choice(WORDS), r.choice(WORDS), r.choice(WORDS))
            ext = " and reports to %s" % other
        elif t == 8:
            core = "%s will proceed with the %s %s now that %s is settled" % (
                subj, r.choice(WORDS), r.choice(WORDS), r.choice(TOPICS))
        elif t == 9:
            core = "%s is evaluating %s for %s, with a decision expected around %s" % (
                subj, self.link("project"), r.choice(TOPICS), r.choice(MONTHS))
        elif t == 10:
            core = "%s mentioned that the %s budget is about %d%s %s" % (
                subj, r.choice(WORDS), r.randint(1, 900), r.choice(["k", "M"]), r.choice(["EUR", "USD"]))
            ext = " for the %s %s" % (r.choice(["first", "second", "third", "fourth"]), "quarter")
        elif t == 11:
            core = "%s is the main contact for %s at %s" % (subj, r.choice(TOPICS), self.link("customer"))
        elif t == 12:
            core = "Per-VM %s is capped; adding %s does not increase aggregate %s" % (
                r.choice(WORDS), r.choice(WORDS), r.choice(WORDS))
        else:
            core = "%s prefers %s over %s when discussing %s with %s" % (
                subj, r.choice(["email", "Slack", "calls", "in-person meetings", "short memos"]),
                r.choice(["long decks", "dashboards", "spreadsheets", "video calls"]),
                r.choice(TOPICS), other)
        return core, ext

    def facts(self, subj, n, aliases=(), block_ids=(), emoji=False):
        """n fact bullets about subj with duplicates at the world's dup rate."""
        r = self.r
        out = []
        prior = []  # (core, ext, text)
        ids = list(block_ids)
        dup_rate = self.w.dup_rate
        for k in range(n):
            text = None
            if prior and r.random() < dup_rate:
                core, ext, old = r.choice(prior)
                x = r.random()
                if x < 0.35:
                    text = old
                elif x < 0.75:
                    subs = [(a, b) for a, b in NEAR if a in old]
                    if subs:
                        a, b = r.choice(subs)
                        text = old.replace(a, b, 1)
                    else:
                        text = old.replace(" ", " also ", 1)
                elif x < 0.9:
                    text = core + "." if ext else core + ext + ", according to the notes."
                elif aliases:
                    text = old.replace(subj, r.choice(aliases), 1)
                else:
                    text = old
            if text is None:
                s = subj
                if aliases and r.random() < 0.1:
                    s = r.choice(aliases)
                core, ext = self.fact(s)
                if not ext or r.random() < 0.5:
                    text = core + ext + "."
                else:
                    text = core + "."
                prior.append((core, ext, text))
            line = "- " + text
            if emoji and r.random() < 0.1:
                line = "- 🧊 " + text[:-1] + " 📅 " + date_str(r) + "."
            if ids and r.random() < 0.15:
                line += " ^" + ids.pop()
            out.append(line)
        while ids:
            out.append("- %s. ^%s" % (self.fact(subj)[0], ids.pop()))
        sep = "\n\n" if r.random() < 0.3 else "\n"
        return sep.join(out)

    def tasks(self, n):
        r = self.r
        out = []
        for _ in range(n):
            box = r.choice(["[ ]", "[x]", "[?]", "[ ]"])
            x = r.random()
            if x < 0.2:
                tail = " @Myself üìÖ %s ‚è´ #task #proposed #auto" % date_str(r)  # mis-decoded emoji
            elif x < 0.6:
                tail = " @Myself 📅 %s ⏫ #task #proposed" % date_str(r)
            else:
                tail = " #task"
            out.append("- %s %s %s about %s with %s.%s" % (
                box, r.choice(["Send", "Review", "Brief", "Follow up", "Prepare", "Schedule"]),
                r.choice(["the deck", "the proposal", "the contract", "notes", "the numbers"]),
                r.choice(TOPICS), self.link("person"), tail))
        return "\n".join(out)

    def code_block(self):
        r = self.r
        if r.random() < 0.5:
            return ("Code samples are not links: `[[Not A Link]]` and\n\n```markdown\n- [[Also Not A Link]]\n"
                    "- ![[%s]]\n```" % r.choice(self.w.people))
        return "```tasks\npath includes %s\nnot done\n```" % r.choice(self.w.people)

    def fill(self, parts, target, subj, aliases=(), kind_headings=("Key Facts",)):
        """Appends fact sections until the note reaches about target bytes."""
        size = sum(len(p) for p in parts) * 1.1  # rough: accented text is longer in UTF-8
        r = self.r
        while size < target:
            n = r.randint(5, 20)
            block = self.facts(subj, n, aliases)
            parts.append("\n## %s\n\n%s\n" % (r.choice(kind_headings), block))
            size += len(block) * 1.05 + 20


def frontmatter_list(r, key, items, quote=False):
    if not items:
        return "%s: []\n" % key if r.random() < 0.3 else ""
    if r.random() < 0.5:
        if quote:
            return "%s: [%s]\n" % (key, ", ".join('"%s"' % x for x in items))
        return "%s: [%s]\n" % (key, ", ".join(items))
    ind = "  " if r.random() < 0.5 else ""
    if quote:
        return "%s:\n%s" % (key, "".join('%s- "%s"\n' % (ind, x) for x in items))
    return "%s:\n%s" % (key, "".join("%s- %s\n" % (ind, x) for x in items))


def yq(s):
    """A YAML-safe scalar."""
    if any(c in s for c in ":#[]{},&*!|>'\"%@`") or s[:1] in "-?" or s != s.strip():
        return "'" + s.replace("'", "''") + "'"
    return s


def target_size(r):
    # 2-10 KB mostly, mean about 6 KB, a few long ones.
    x = r.random()
    if x < 0.03:
        return r.randint(12000, 30000)
    return int(r.triangular(1800, 10500, 5600))


def person_note(w, g, r, i, contact=False):
    name = w.people[i]
    aliases = w.person_aliases[i]
    fm = ["---\n"]
    if contact:
        fm.append("name: %s\nrole: %s\ncompany: %s\nlast_contact: unknown\n---\n" % (
            yq(name), yq(r.choice(TITLES)), yq(r.choice(w.companies))))
        body = ["\n# %s\n\n%s at %s.\n" % (name, r.choice(TITLES), r.choice(w.companies))]
        body.append("\n## Recent Context\n\n" + "\n".join(
            "- %s: %s - %s" % (date_str(r), g.link(), r.choice(TOPICS)) for _ in range(r.randint(2, 8))) + "\n")
        g.fill(body, target_size(r) * 0.6, name, aliases, ("Key Facts", "Profile"))
        return "".join(fm) + "".join(body)
    if r.random() < 0.9:
        fm.append("type: person\n")
    if r.random() < 0.9:
        fm.append("name: %s\n" % yq(name))
    if r.random() < 0.3:
        fm.append("email: ''\n")
    company = r.choice(w.companies)
    title = r.choice(TITLES)
    fm.append("company: %s\ntitle: %s\n" % (yq(company), yq(title)))
    fm.append(frontmatter_list(r, "aliases", aliases, quote=r.random() < 0.3))
    fm.append("last_contact: '%s'\ncreated: '%s'\n" % (date_str(r), date_str(r)))
    tags = ["type/person"] + (["needs-review"] if r.random() < 0.3 else [])
    fm.append(frontmatter_list(r, "tags", tags))
    fm.append("---\n")
    body = ["\n# %s\n\n## Key Facts\n\n" % name]
    n_facts = max(3, target_size(r) // 260)
    body.append(g.facts(name, n_facts, aliases, w.block_ids("person", i), emoji=r.random() < 0.1))
    body.append("\n\n## Recent Context\n\n")
    ctx = []
    for j in w.person_meetings[i][:12]:
        p, stem, _, d, title = w.meetings[j]
        ctx.append("- %s: Mentioned in: [[%s]]" % (d, stem))
    for _ in range(r.randint(1, 4)):
        ctx.append("- %s: %s - %s." % (date_str(r), g.link(), r.choice(TOPICS).capitalize()))
    body.append("\n".join(ctx) + "\n")
    if True:
        body.append("\n## Tasks\n\n```tasks\npath includes %s\nnot done\n```\n" % name)
    body.append("\n## Topics\n\n" + g.facts(name, r.randint(2, 6), aliases) + "\n")
    body.append("\n## Key Decisions\n\n" + g.facts(name, r.randint(1, 4), aliases) + "\n")
    return "".join(fm) + "".join(body)


def meeting_note(w, g, r, stem, title, d, parts, block_ids=()):
    fm = ["---\n"]
    fm.append('type: "people"\n' if r.random() < 0.5 else "type: people\n")
    fm.append('title: "%s"\n' % title.replace('"', "'"))
    fm.append('date: "%s"\n' % d)
    names = []
    for p in parts:
        if w.person_aliases[p] and r.random() < 0.2:
            names.append(r.choice(w.person_aliases[p]))  # participant by alias
        elif r.random() < 0.02:
            names.append(misspell(r, w.people[p]))
        else:
            names.append(w.people[p])
    fm.append('person: ""\n' if r.random() < 0.4 else "person: %s\n" % yq(w.people[parts[0]]))
    fm.append(frontmatter_list(r, "participants", names, quote=r.random() < 0.6))
    fm.append("source: transcript\n")
    fm.append(frontmatter_list(r, "tags", ["type/people", "generated"], quote=r.random() < 0.3))
    fm.append("---\n")
    body = ["\n# %s\n\n**Date**: %s\n**With**: %s\n" % (title, d, ", ".join(names))]
    subj = w.people[parts[0]]
    summ = " ".join(
        "%s %s %s with %s about %s." % (r.choice([subj.split(" ")[0], "They", "The team"]),
                                          r.choice(["discussed", "aligned on", "reviewed", "debated"]),
                                          r.choice(TOPICS), g.link(), r.choice(TOPICS))
        for _ in range(r.randint(2, 6)))
    body.append("\n## Summary\n\n%s\n" % summ)
    body.append("\n## Action Items\n" + ("\n" if r.random() < 0.5 else "") + g.tasks(r.randint(1, 6)) + "\n")
    body.append("\n## Decisions\n\n" + g.facts(subj, r.randint(1, 4)) + "\n")
    body.append("\n## Key Information\n\n" + g.facts(subj, r.randint(4, 12), w.person_aliases[parts[0]],
                                                  block_ids) + "\n")
    if r.random() < 0.25:
        body.append("\n" + g.code_block() + "\n")
    g.fill(body, target_size(r), subj, w.person_aliases[parts[0]], ("Key Information", "Notes", "Discussion"))
    body.append("\n## Related\n\n" + "\n".join("- " + g.link() for _ in range(r.randint(3, 10))) + "\n")
    if r.random() < 0.3:
        body.append("\n---\n\n*Source: [[%s:%s 1-1 ]]*\n" % (subj.split(" ")[0], r.choice(w.people).split(" ")[0]))
    return "".join(fm) + "".join(body)


def project_note(w, g, r, i, kind):
    if kind == "project":
        name, aliases, heads = w.projects[i], w.project_aliases[i], PROJECT_HEADINGS
    else:
        name, aliases, heads = w.customers[i], w.customer_aliases[i], CUSTOMER_HEADINGS
    fm = ["---\ntype: %s\n" % kind]
    if kind == "project":
        fm.append("status: %s\n" % r.choice(["active", "paused", "done"]))
        fm.append('owner: "[[%s]]"\n' % r.choice(w.people))
    fm.append(frontmatter_list(r, "aliases", aliases))
    fm.append(frontmatter_list(r, "tags", ["type/" + kind]))
    fm.append("---\n")
    body = ["\n# %s\n\n%s between %s and the %s.\n" % (name, r.choice(["Deep integration", "Work", "A partnership"]),
                                                      r.choice(COMPANY_A), g.link("customer"))]
    ids = w.block_ids(kind, i)
    first = heads[0]
    items = []
    for k in range(r.randint(3, 8)):
        s = "- %s with %s" % (r.choice(["Design review", "Proof of concept", "Decision", "Kick-off",
                                        "Contract signed", "Pilot"]), g.link("person"))
        if ids:
            s += " ^" + ids.pop()
        items.append(s)
    body.append("\n## %s\n\n%s\n" % (first, "\n".join(items)))
    body.append("\n## Key Facts\n\n" + g.facts(name, r.randint(3, 10), aliases) + "\n")
    g.fill(body, target_size(r), name, aliases, heads)
    return "".join(fm) + "".join(body)


TEMPLATE = """---
type: person
name: {{title}}
company:
title:
aliases: []
tags:
  - type/person
---

# {{title}}

## Key Facts

- 
"""


def corrupt_frontmatter(r, text):
    """Makes the YAML invalid in one of the ways people do."""
    end = text.find("\n---", 3)
    if end < 0:
        return text
    fm = text[:end]
    x = r.randrange(4)
    if x == 0:
        fm += "\naliases: [unclosed"
    elif x == 1:
        fm += "\ntitle: Notes: on: things: [x"
    elif x == 2:
        fm += '\nsummary: "an unterminated string'
    else:
        fm += "\n\tbad: tab indentation\n  - stray"
    return fm + text[end:]


def note(w, idx):
    """(relative path, bytes) of note idx."""
    kind, i = w.notes[idx]
    r = Rng(h64("note", w.seed, idx))
    g = Gen(w, r)
    if kind == "template":
        return "Templates/Person.md", TEMPLATE.encode()
    if kind == "open":
        return "_Open Topics.md", b"# Open Topics\n\n```tasks\nnot done\n```\n"
    if kind == "person":
        path = "People/%s.md" % w.people[i]
        text = person_note(w, g, r, i)
    elif kind == "contact":
        p = w.contacts[i]
        path = "Contacts/%s.md" % w.people[p]
        text = person_note(w, g, r, p, contact=True)
    elif kind in ("project", "customer"):
        name = w.projects[i] if kind == "project" else w.customers[i]
        path = "%s/%s.md" % ("Projects" if kind == "project" else "Customers", name)
        text = project_note(w, g, r, i, kind)
    elif kind == "meeting":
        p, stem, parts, d, title = w.meetings[i]
        path = "Meetings/%s/%s.md" % (w.people[p], stem)
        text = meeting_note(w, g, r, stem, title, d, parts, w.block_ids("meeting", i))
    else:
        folder, stem, parts, d = w.inbox[i]
        path = "%s/%s.md" % (folder, stem)
        text = meeting_note(w, g, r, stem, "Prep for %s talks" % r.choice(w.customers), d, parts)
    x = r.random()
    if x < 0.005:
        text = corrupt_frontmatter(r, text)
    if r.random() < 0.01:
        text = text.replace("\n", "\r\n")
    return path, text.encode("utf-8")


# ---- driver ----------------------------------------------------------------

_W = None
_OUT = None


def _work(rng_):
    lo, hi = rng_
    total = 0
    made = set()
    for idx in range(lo, hi):
        path, data = note(_W, idx)
        full = os.path.join(_OUT, path)
        d = os.path.dirname(full)
        if d not in made:
            os.makedirs(d, exist_ok=True)
            made.add(d)
        with open(full, "wb") as f:
            f.write(data)
        total += len(data)
    return total


def generate(n, out, seed=1, dup_rate=0.15, jobs=None, quiet=False):
    global _W, _OUT
    t0 = time.time()
    _W = World(n, seed, dup_rate)
    _OUT = out
    os.makedirs(out, exist_ok=True)
    os.makedirs(os.path.join(out, ".obsidian"), exist_ok=True)
    with open(os.path.join(out, ".obsidian", "app.json"), "w") as f:
        f.write('{"newFileLocation": "folder", "attachmentFolderPath": "Attachments"}\n')
    total_notes = len(_W.notes)
    chunk = 500
    ranges = [(lo, min(lo + chunk, total_notes)) for lo in range(0, total_notes, chunk)]
    jobs = jobs or os.cpu_count() or 1
    if jobs > 1 and len(ranges) > 1:
        import multiprocessing
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(jobs) as pool:
            total = sum(pool.imap_unordered(_work, ranges))
    else:
        total = sum(_work(rg) for rg in ranges)
    dt = time.time() - t0
    meta = {"notes": n, "seed": seed, "dup_rate": dup_rate, "bytes": total,
            "generator": 4, "files": total_notes}
    with open(os.path.join(out, ".genvault.json"), "w") as f:
        json.dump(meta, f)
    if not quiet:
        print("genvault: %d notes, %.1f MB (%.1f KB/note) in %s in %.1f s" % (
            total_notes, total / 1e6, total / 1e3 / max(1, total_notes), out, dt), file=sys.stderr)
    return meta


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--notes", type=int, required=True, help="number of notes")
    ap.add_argument("--out", required=True, help="output folder (created)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dup-rate", type=float, default=0.15,
                    help="probability that a fact repeats an earlier one (exactly, nearly, or subsumed)")
    ap.add_argument("--jobs", type=int, default=0, help="worker processes (default: all cores)")
    a = ap.parse_args()
    if os.path.exists(a.out) and os.listdir(a.out):
        ap.error("%s exists and is not empty" % a.out)
    generate(a.notes, a.out, a.seed, a.dup_rate, a.jobs or None)


if __name__ == "__main__":
    main()
