"""A realistic OnRecord dataset at a given scale, written with set-based SQL.

    python -m bench.dataset --attributions 100000 --database-url postgresql://...

Every table is filled by one ``INSERT ... SELECT generate_series(...)`` into a
migrated database (``app.migrate.upgrade``), so 100k attributions take a few
seconds, not minutes of per-row round trips. Rows get UUIDv7-shaped ids that
are a pure function of (table, row number): ids follow creation order like the
app's ``new_id``, and a foreign key is computed inline (``uid(ACTOR, n)``)
instead of joined. Pseudo-random choices come from ``hashint8extended(n,
salt)``, so one scale always yields the same data (reproducible benchmarks).

Shape, per N attributions (PolNeAR: ~24 attributions per article):

- ~N/4 actors: a few hundred media actors (publishers), a share anonymous
  ("US diplomats", with descriptions as aliases), the rest persons,
  organisations, governments, groups; speakers follow a skewed popularity;
- ~N/25 sources, sized by PolNeAR's attributions-per-article distribution,
  published by the media actors, with fuzzy publication dates;
- claims in English and French, some with translations; a claim has one or
  more independent origins, and each origin is a relay chain of 1 to 5
  attributions (each one relays the previous one: no cycles by construction);
- attributions with fuzzy times (day, week, month, relative to the source,
  unknown), modes, cues, certainties;
- a few events with participants and relations, claims about them, claim
  relations (contradicts, same_as, supports).

When ``../shared/polnear`` (or ``--polnear``) is there, the distribution of
attributions per article, the share of own-voice and anonymous attributions,
the share of relayed ones, the publication dates and the cue words are read
from it at generation time (nothing of it is stored in the repository);
otherwise fixed defaults of the same order are used.

Only base columns are written. Columns that later migrations derive (search
vectors, corroboration counters) are filled by their own defaults, generated
expressions or triggers, or by the app's set-based refresh function when it
has one (``app.provenance``'s ``refresh_corroboration``), then the tables
are analysed.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import inspect
import math
import os
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import asyncpg

from app.embedded import _asyncpg_params

DEFAULT_ATTRIBUTIONS = 100_000
DEFAULT_POLNEAR = Path(__file__).resolve().parents[2] / "shared" / "polnear"

# Table tags inside the generated ids (the UUIDv7 "rand_a" field).
ACTOR, SOURCE, EVENT, CLAIM, ATTRIBUTION, NAME, MISC = 1, 2, 3, 4, 5, 6, 7

ANONYMOUS_WORDS = re.compile(
    r"\b(sources?|officials?|aides?|people familiar|person familiar|insiders?|advisers?"
    r"|allies|diplomats?|someone|spokesperson)\b",
    re.IGNORECASE,
)
RELAY_CUES = re.compile(r"report|according to|cit(ed|ing)|quot(ed|ing)|told", re.IGNORECASE)


@dataclass(frozen=True)
class Shape:
    """The distributions the generator samples from."""

    origin: str
    per_source_weights: list[int]
    own_voice_share: float
    anonymous_share: float
    relay_share: float
    first_day: date
    last_day: date
    cues_en: list[str]
    cues_fr: list[str] = field(
        default_factory=lambda: [
            "a déclaré",
            "selon",
            "a affirmé",
            "ont confié",
            "a indiqué",
            "a estimé",
            "révèlent",
            "a assuré",
        ]
    )
    relay_continue: float = 0.35
    """P(chain goes one step deeper | it has at least 2 links), up to 5 links."""
    relay_floor: float = 0.12
    """Relays are rare in PolNeAR's annotations; benchmarks need chains to walk."""


DEFAULT_SHAPE = Shape(
    origin="defaults",
    per_source_weights=[4, 8, 12, 15, 18, 19, 22, 25, 30, 36, 45, 60, 90],
    own_voice_share=0.07,
    anonymous_share=0.04,
    relay_share=0.05,
    first_day=date(2015, 11, 1),
    last_day=date(2016, 12, 31),
    cues_en=["said", "says", "told", "according to", "wrote", "added", "reported", "noted"],
)


def polnear_shape(root: Path | None = DEFAULT_POLNEAR) -> Shape:
    """Distributions read from PolNeAR's annotations, or the defaults without it."""
    if root is None or not (root / "metadata.tsv").is_file():
        return DEFAULT_SHAPE
    days: list[date] = []
    for line in (root / "metadata.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        cells = line.split("\t")
        if len(cells) > 5 and re.fullmatch(r"\d{4}-\d{2}-\d{2}", cells[5]):
            days.append(date.fromisoformat(cells[5]))
    per_article: list[int] = []
    cues: Counter[str] = Counter()
    total = no_source = anonymous = relayed = 0
    seen: set[str] = set()
    for path in sorted(root.glob("*/attributions/*.ann")):
        article = path.name.rsplit("_", 1)[0]
        if article in seen:  # several annotators: count each article once
            continue
        seen.add(article)
        spans: dict[str, str] = {}
        relations: list[dict[str, str]] = []
        for raw in path.read_text(encoding="utf-8").splitlines():
            cells = raw.split("\t")
            if len(cells) < 2:
                continue
            if cells[0].startswith("T"):
                spans[cells[0]] = cells[2] if len(cells) > 2 else ""
            elif cells[0].startswith("E"):
                relations.append(dict(p.split(":", 1) for p in cells[1].split() if ":" in p))
        count = 0
        for relation in relations:
            # "Attribution-no-source": the article's own voice or an unstated source.
            if not any(key.startswith("Attribution") for key in relation):
                continue
            count += 1
            source = spans.get(relation.get("Source", ""), "")
            cue = spans.get(relation.get("Cue", ""), "").strip().lower()
            no_source += not source
            anonymous += bool(source) and bool(ANONYMOUS_WORDS.search(source))
            relayed += bool(RELAY_CUES.search(cue))
            if cue.isascii() and 2 <= len(cue) <= 20 and cue.replace(" ", "").isalpha():
                cues[cue] += 1
        if count:
            per_article.append(count)
        total += count
    if not total or not days:
        return DEFAULT_SHAPE
    return Shape(
        origin=f"polnear ({len(per_article)} articles, {total} attributions)",
        per_source_weights=per_article,
        own_voice_share=no_source / total,
        anonymous_share=anonymous / total,
        relay_share=relayed / total,
        first_day=min(days),
        last_day=max(days),
        cues_en=[cue for cue, _ in cues.most_common(24)],
    )


@dataclass
class Plan:
    """Row counts derived from the number of attributions."""

    attributions: int
    actors: int
    media: int
    anonymous: int
    sources: int
    events: int

    @classmethod
    def at(cls, attributions: int) -> Plan:
        actors = max(50, attributions // 4)
        media = min(500, max(8, attributions // 330))
        return cls(
            attributions=attributions,
            actors=actors,
            media=media,
            anonymous=max(2, actors // 12),
            sources=max(4, attributions // 25),
            events=max(10, attributions // 100),
        )


def _sql_text_array(values: list[str]) -> str:
    return "ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + "]::text[]"


# Word lists written for this generator (not taken from any corpus).
SUBJECTS_EN = [
    "The government",
    "The senator",
    "The campaign",
    "The ministry",
    "The president",
    "The committee",
    "The governor",
    "The army",
    "The coalition",
    "The agency",
]
VERBS_EN = [
    "approved",
    "rejected",
    "backed",
    "delayed",
    "funded",
    "opposed",
    "negotiated",
    "announced",
    "cancelled",
    "investigated",
]
OBJECTS_EN = [
    "the ceasefire plan",
    "the trade agreement",
    "the border wall",
    "the health bill",
    "the offensive on the capital",
    "the tax reform",
    "the sanctions",
    "the election audit",
    "the pipeline",
    "the peace talks",
]
SUBJECTS_FR = [
    "Le gouvernement",
    "Le sénateur",
    "La campagne",
    "Le ministère",
    "Le président",
    "La commission",
    "Le gouverneur",
    "L'armée",
    "La coalition",
    "L'agence",
]
VERBS_FR = [
    "a approuvé",
    "a rejeté",
    "a soutenu",
    "a retardé",
    "a financé",
    "s'est opposé à",
    "a négocié",
    "a annoncé",
    "a annulé",
    "a enquêté sur",
]
OBJECTS_FR = [
    "le plan de cessez-le-feu",
    "l'accord commercial",
    "le mur frontalier",
    "la loi sur la santé",
    "l'offensive sur la capitale",
    "la réforme fiscale",
    "les sanctions",
    "l'audit électoral",
    "l'oléoduc",
    "les pourparlers de paix",
]
FIRST_NAMES = [
    "Anna",
    "Karim",
    "John",
    "Marie",
    "Olga",
    "Peter",
    "Fatima",
    "Luis",
    "Mei",
    "Tom",
    "Ines",
    "Samuel",
    "Nadia",
    "Victor",
    "Julia",
    "Omar",
]
LAST_NAMES = [
    "Martin",
    "Haddad",
    "Smith",
    "Dubois",
    "Ivanova",
    "Bode",
    "Rahman",
    "Garcia",
    "Chen",
    "Walker",
    "Moreau",
    "Okafor",
    "Nowak",
    "Rossi",
    "Khan",
    "Silva",
]
MEDIA_WORDS = ["Daily", "Herald", "Courier", "Post", "Tribune", "Gazette", "Wire", "Journal"]
ANONYMOUS_GROUPS = [
    ("US", "diplomats"),
    ("FR", "officials"),
    ("GB", "intelligence officials"),
    ("US", "campaign aides"),
    ("RU", "military sources"),
    ("LY", "people familiar with the talks"),
    ("EG", "government advisers"),
    ("DE", "party insiders"),
]
EVENT_KINDS = ["meeting", "call", "statement", "offensive", "visit", "vote", "debate", "summit"]


def _setup_sql(plan: Plan, shape: Shape) -> list[str]:
    """Temporary helpers: id, hash and row-number-to-row functions."""
    weights = shape.per_source_weights
    cumulative: list[int] = []
    running = 0
    for s in range(plan.sources):
        # Source s gets the weight of a PolNeAR article picked by a fixed stride.
        running += max(1, weights[(s * 7919) % len(weights)])
        cumulative.append(running)
    # width_bucket(x, thresholds) = number of thresholds <= x: x in [0, total).
    thresholds = "ARRAY[" + ",".join(str(c) for c in cumulative[:-1]) + "]::bigint[]"
    span_days = max(1, (shape.last_day - shape.first_day).days)
    first = shape.first_day.isoformat()
    media, anonymous = plan.media, plan.anonymous
    named = plan.actors - media - anonymous
    return [
        # A UUIDv7 layout: 48-bit ms timestamp (ordered by row number), version
        # 7, the table tag, variant 10, then hashed bits.
        """
        CREATE FUNCTION pg_temp.uid(tag int, n bigint) RETURNS uuid
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
          SELECT (lpad(to_hex(1735689600000 + n * 3), 12, '0') || '7' || lpad(to_hex(tag), 3, '0')
                  || '8' || lpad(to_hex(hashint8extended(n, tag) & 1152921504606846975), 15, '0')
                 )::uuid
        $$
        """,
        # A uniform number in [0, 1) from (n, salt).
        """
        CREATE FUNCTION pg_temp.h(n bigint, salt int) RETURNS float8
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
          SELECT (hashint8extended(n, salt) & 2147483647)::float8 / 2147483648.0
        $$
        """,
        """
        CREATE FUNCTION pg_temp.pick(n bigint, salt int, items text[]) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
          SELECT items[1 + floor(pg_temp.h(n, salt) * cardinality(items))::int]
        $$
        """,
        # The source of attribution n: sources are sized like PolNeAR articles,
        # and an article's attributions are entered together (consecutive
        # ids), in publication order, with some jitter.
        f"""
        CREATE FUNCTION pg_temp.source_of(n bigint, salt int) RETURNS bigint
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
          SELECT 1 + width_bucket(
            least({running - 1}, greatest(0, floor(
              (n - 1 + (pg_temp.h(n, salt) - 0.5) * 60) * {running}::float8 / {plan.attributions}
            )))::bigint, {thresholds})
        $$
        """,
        f"""
        CREATE FUNCTION pg_temp.publisher_of(s bigint) RETURNS bigint
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
          SELECT 1 + floor(pg_temp.h(s, 201) * {media})::bigint
        $$
        """,
        f"""
        CREATE FUNCTION pg_temp.source_day(s bigint) RETURNS date
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
          SELECT DATE '{first}'
                 + least({span_days}, floor((s - 1 + pg_temp.h(s, 202) * 3) * {span_days}::float8
                                            / {plan.sources}))::int
        $$
        """,
        # Speakers: anonymous groups, or named actors with skewed popularity
        # (actor M+A+1 speaks most, like a candidate in an election year).
        f"""
        CREATE FUNCTION pg_temp.anonymous_actor(n bigint) RETURNS bigint
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
          SELECT {media} + 1 + floor(pg_temp.h(n, 301) * {anonymous})::bigint
        $$
        """,
        f"""
        CREATE FUNCTION pg_temp.named_actor(n bigint) RETURNS bigint
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
          SELECT {media + anonymous} + 1 + floor(power(pg_temp.h(n, 302), 2.5) * {named})::bigint
        $$
        """,
    ]


def _actors_sql(plan: Plan) -> list[str]:
    media, anonymous = plan.media, plan.anonymous
    groups = ANONYMOUS_GROUPS
    nationalities = "(" + _sql_text_array([g[0] for g in groups]) + ")"
    roles = "(" + _sql_text_array([g[1] for g in groups]) + ")"
    return [
        f"""
        INSERT INTO actors (id, kind, name, description, nationality, role_description,
                            wikidata_id, scope)
        SELECT pg_temp.uid({ACTOR}, n),
               k.kind,
               CASE k.kind
                 WHEN 'media' THEN 'The ' || pg_temp.pick(n, 2, {_sql_text_array(MEDIA_WORDS)})
                                   || ' ' || pg_temp.pick(n, 3, {_sql_text_array(MEDIA_WORDS)})
                                   || ' ' || n
                 WHEN 'anonymous' THEN {nationalities}[g] || ' ' || {roles}[g] || ' (' || n || ')'
                 WHEN 'person' THEN pg_temp.pick(n, 4, {_sql_text_array(FIRST_NAMES)}) || ' '
                                    || pg_temp.pick(n, 5, {_sql_text_array(LAST_NAMES)})
                                    || ' ' || n
                 ELSE initcap(k.kind) || ' ' || n
               END,
               CASE WHEN k.kind = 'anonymous' THEN 'Unnamed ' || {roles}[g] || ', known only'
                                                    || ' by description' END,
               CASE WHEN k.kind = 'anonymous' THEN {nationalities}[g] END,
               CASE WHEN k.kind = 'anonymous' THEN {roles}[g] END,
               CASE WHEN k.kind = 'person' AND pg_temp.h(n, 6) < 0.2 THEN 'Q' || (1000 + n) END,
               CASE WHEN k.kind = 'anonymous' THEN 'document' ELSE 'global' END
        FROM generate_series(1, {plan.actors}) AS n
        CROSS JOIN LATERAL (
          SELECT CASE
                   WHEN n <= {media} THEN 'media'
                   WHEN n <= {media + anonymous} THEN 'anonymous'
                   ELSE (ARRAY['person', 'person', 'person', 'person', 'person', 'person',
                               'organisation', 'organisation', 'government', 'group'
                              ])[1 + floor(pg_temp.h(n, 1) * 10)::int]
                 END AS kind,
                 1 + floor(pg_temp.h(n, 7) * {len(groups)})::int AS g
        ) AS k
        """,
        # Every actor's display name as its primary name; aliases and
        # descriptions ("the same sources") for anonymous actors; spellings for
        # a share of persons.
        f"""
        INSERT INTO actor_names (id, actor_id, name, language, kind)
        SELECT pg_temp.uid({NAME}, row_number() OVER ()), a.id, v.name, v.language, v.kind
        FROM actors AS a
        CROSS JOIN LATERAL (
          SELECT a.name, NULL::text, 'primary'
          UNION ALL
          SELECT 'the same ' || a.role_description, 'en', 'description'
          WHERE a.kind = 'anonymous'
          UNION ALL
          SELECT 'des sources (' || a.role_description || ')', 'fr', 'description'
          WHERE a.kind = 'anonymous'
          UNION ALL
          SELECT replace(replace(a.name, 'o', 'oh'), 'a', 'ah'), NULL, 'spelling'
          WHERE a.kind = 'person' AND pg_temp.h(hashtext(a.name), 8) < 0.3
          UNION ALL
          SELECT upper(left(a.name, 1) || substr(split_part(a.name, ' ', 2), 1, 1))
                 || split_part(a.name, ' ', 3), NULL, 'abbreviation'
          WHERE a.kind = 'person' AND pg_temp.h(hashtext(a.name), 9) < 0.1
        ) AS v(name, language, kind)
        ON CONFLICT DO NOTHING
        """,
    ]


def _sources_sql(plan: Plan, shape: Shape) -> list[str]:
    kinds = _sql_text_array(
        ["article"] * 17 + ["statement", "press_release", "report", "interview", "transcript"]
    )
    named_first = plan.media + plan.anonymous + 1
    named = plan.actors - named_first + 1
    return [
        f"""
        INSERT INTO sources (id, kind, title, publisher_id, url, language,
                             time_expression, time_range, time_precision)
        SELECT pg_temp.uid({SOURCE}, s),
               pg_temp.pick(s, 11, {kinds}),
               'Report ' || s || ': ' || pg_temp.pick(s, 12, {_sql_text_array(OBJECTS_EN)}),
               pg_temp.uid({ACTOR}, pg_temp.publisher_of(s)),
               'https://news.example/' || pg_temp.publisher_of(s) || '/' || s,
               CASE WHEN pg_temp.h(s, 13) < 0.3 THEN 'fr' ELSE 'en' END,
               t.expression, t.range, t.precision
        FROM generate_series(1, {plan.sources}) AS s
        CROSS JOIN LATERAL (
          SELECT CASE WHEN u < 0.93 THEN to_char(d, 'YYYY-MM-DD')
                      WHEN u < 0.98 THEN to_char(d, 'FMMonth YYYY') END AS expression,
                 CASE WHEN u < 0.93 THEN daterange(d, d + 1)
                      WHEN u < 0.98 THEN daterange(date_trunc('month', d)::date,
                                         (date_trunc('month', d) + interval '1 month')::date
                                                   )
                 END AS range,
                 CASE WHEN u < 0.93 THEN 'day' WHEN u < 0.98 THEN 'month' ELSE 'unknown' END
                   AS precision
          FROM (SELECT pg_temp.source_day(s) AS d, pg_temp.h(s, 14) AS u) AS x
        ) AS t
        """,
        f"""
        INSERT INTO source_authors (id, source_id, actor_id, position)
        SELECT pg_temp.uid({MISC}, s), pg_temp.uid({SOURCE}, s),
               pg_temp.uid({ACTOR}, {named_first} + floor(pg_temp.h(s, 15) * {named})::bigint), 0
        FROM generate_series(1, {plan.sources}) AS s
        WHERE pg_temp.h(s, 16) < 0.6
        """,
    ]


def _events_sql(plan: Plan) -> list[str]:
    named_first = plan.media + plan.anonymous + 1
    named = plan.actors - named_first + 1
    return [
        f"""
        INSERT INTO events (id, kind, title, place, time_expression, time_range, time_precision)
        SELECT pg_temp.uid({EVENT}, e), k, initcap(k) || ' ' || e, NULL,
               CASE WHEN u < 0.6 THEN to_char(d, 'DD Month YYYY')
                    WHEN u < 0.85 THEN to_char(d, 'FMMonth') END,
               CASE WHEN u < 0.6 THEN daterange(d, d + 1)
                    WHEN u < 0.85 THEN daterange(date_trunc('month', d)::date,
                                       (date_trunc('month', d) + interval '1 month')::date
                                                 )
               END,
               CASE WHEN u < 0.6 THEN 'day' WHEN u < 0.85 THEN 'month' ELSE 'unknown' END
        FROM generate_series(1, {plan.events}) AS e
        CROSS JOIN LATERAL (
          SELECT pg_temp.pick(e, 21, {_sql_text_array(EVENT_KINDS)}) AS k,
                 pg_temp.h(e, 22) AS u,
                 pg_temp.source_day((e * {plan.sources}) / {plan.events}) - 3 AS d
        ) AS x
        """,
        f"""
        INSERT INTO event_participants (id, event_id, actor_id, role)
        SELECT pg_temp.uid({MISC}, 1000000000 + e * 8 + p), pg_temp.uid({EVENT}, e),
               pg_temp.uid({ACTOR}, {named_first}
                           + floor(power(pg_temp.h(e * 8 + p, 23), 2) * {named})::bigint),
               CASE WHEN p = 1 THEN 'organiser' ELSE 'participant' END
        FROM generate_series(1, {plan.events}) AS e
        CROSS JOIN generate_series(1, 2 + floor(pg_temp.h(e, 24) * 3)::int) AS p
        ON CONFLICT DO NOTHING
        """,
        f"""
        INSERT INTO event_relations (id, event_id, related_event_id, relation, offset_days,
                                     expression)
        SELECT pg_temp.uid({MISC}, 2000000000 + e), pg_temp.uid({EVENT}, e),
               pg_temp.uid({EVENT}, e - 1), 'after', 6, '6 days after'
        FROM generate_series(2, {plan.events}) AS e
        WHERE pg_temp.h(e, 25) < 0.2
        """,
    ]


def _attributions_sql(plan: Plan, shape: Shape) -> list[str]:
    n_total = plan.attributions
    relay_share = max(shape.relay_share, shape.relay_floor)
    log_continue = math.log(shape.relay_continue)
    own_voice = shape.own_voice_share
    anonymous = shape.anonymous_share
    cues_en = _sql_text_array(shape.cues_en or DEFAULT_SHAPE.cues_en)
    cues_fr = _sql_text_array(shape.cues_fr)
    return [
        # Origins: chain j belongs to a claim (a new claim starts with
        # probability 0.72, so some claims have several independent origins)
        # and has 1 link, or 2 to 5 when relayed; links are numbered
        # consecutively, so a link relays the attribution just before it.
        f"""
        CREATE TEMPORARY TABLE gen_chains ON COMMIT DROP AS
        SELECT j, claim_no, links, first_n
        FROM (
          SELECT j, links,
                 sum(CASE WHEN j = 1 OR pg_temp.h(j, 31) < 0.72 THEN 1 ELSE 0 END)
                   OVER (ORDER BY j) AS claim_no,
                 sum(links) OVER (ORDER BY j) - links + 1 AS first_n
          FROM (
            SELECT j,
                   CASE WHEN pg_temp.h(j, 32) >= {relay_share} THEN 1
                        ELSE least(5, 2 + floor(ln(1 - pg_temp.h(j, 33)) / {log_continue})::int)
                   END AS links
            FROM generate_series(1, {n_total}) AS j
          ) AS sized
        ) AS numbered
        WHERE first_n <= {n_total}
        """,
        f"""
        INSERT INTO claims (id, text, language)
        SELECT pg_temp.uid({CLAIM}, c),
               CASE WHEN fr
                 THEN pg_temp.pick(c, 41, {_sql_text_array(SUBJECTS_FR)}) || ' '
                      || pg_temp.pick(c, 42, {_sql_text_array(VERBS_FR)}) || ' '
                      || pg_temp.pick(c, 43, {_sql_text_array(OBJECTS_FR)})
                      || ' (dossier ' || c || ')'
                 ELSE pg_temp.pick(c, 41, {_sql_text_array(SUBJECTS_EN)}) || ' '
                      || pg_temp.pick(c, 42, {_sql_text_array(VERBS_EN)}) || ' '
                      || pg_temp.pick(c, 43, {_sql_text_array(OBJECTS_EN)})
                      || ' (file ' || c || ')'
               END,
               CASE WHEN fr THEN 'fr' ELSE 'en' END
        FROM generate_series(1, (SELECT max(claim_no) FROM gen_chains)) AS c
        CROSS JOIN LATERAL (SELECT pg_temp.h(c, 40) < 0.35 AS fr) AS l
        """,
        # Translations, with the same picks so they say the same thing.
        f"""
        INSERT INTO claim_translations (id, claim_id, language, text, note)
        SELECT pg_temp.uid({MISC}, 3000000000 + c), pg_temp.uid({CLAIM}, c),
               CASE WHEN fr THEN 'en' ELSE 'fr' END,
               CASE WHEN fr
                 THEN pg_temp.pick(c, 41, {_sql_text_array(SUBJECTS_EN)}) || ' '
                      || pg_temp.pick(c, 42, {_sql_text_array(VERBS_EN)}) || ' '
                      || pg_temp.pick(c, 43, {_sql_text_array(OBJECTS_EN)})
                      || ' (file ' || c || ')'
                 ELSE pg_temp.pick(c, 41, {_sql_text_array(SUBJECTS_FR)}) || ' '
                      || pg_temp.pick(c, 42, {_sql_text_array(VERBS_FR)}) || ' '
                      || pg_temp.pick(c, 43, {_sql_text_array(OBJECTS_FR)})
                      || ' (dossier ' || c || ')'
               END,
               'generated translation'
        FROM generate_series(1, (SELECT max(claim_no) FROM gen_chains)) AS c
        CROSS JOIN LATERAL (SELECT pg_temp.h(c, 40) < 0.35 AS fr) AS l
        WHERE pg_temp.h(c, 44) < CASE WHEN fr THEN 0.6 ELSE 0.1 END
        """,
        # Attributions. Link p of a chain: p = 1 is the origin (its speaker
        # said it); p > 1 relays link p - 1 (same speaker reported again, or the
        # publisher of the previous source as the reporter).
        f"""
        INSERT INTO attributions (
          id, claim_id, speaker_id, source_id, occasion_event_id, relayed_through_id,
          mode, cue, certainty, time_expression, time_relative_to, time_anchor_source_id,
          time_offset_days, time_range, time_precision, resolution_method, resolution_confidence)
        SELECT pg_temp.uid({ATTRIBUTION}, n),
               pg_temp.uid({CLAIM}, ch.claim_no),
               CASE WHEN k.speaker IS NULL THEN NULL ELSE pg_temp.uid({ACTOR}, k.speaker) END,
               pg_temp.uid({SOURCE}, k.src),
               CASE WHEN pg_temp.h(n, 51) < 0.02
                    THEN pg_temp.uid({EVENT}, 1 + floor(pg_temp.h(n, 52) * {plan.events})::bigint)
               END,
               CASE WHEN p > 1 THEN pg_temp.uid({ATTRIBUTION}, n - 1) END,
               k.mode,
               CASE WHEN k.mode = 'own_voice' THEN NULL
                    WHEN k.fr THEN pg_temp.pick(n, 53, {cues_fr})
                    ELSE pg_temp.pick(n, 53, {cues_en}) END,
               CASE WHEN k.speaker_kind = 'anonymous' AND pg_temp.h(n, 54) < 0.6 THEN 'alleged'
                    ELSE (ARRAY['asserted', 'asserted', 'asserted', 'asserted', 'asserted',
                                'asserted', 'asserted', 'alleged', 'alleged', 'denied',
                                'hypothetical', 'unknown'])[1 + floor(pg_temp.h(n, 55) * 12)::int]
               END,
               CASE WHEN t.u < 0.50 THEN to_char(t.d, 'FMDay')
                    WHEN t.u < 0.65 THEN to_char(t.d, 'FMMonth')
                    WHEN t.u < 0.70 THEN 'last week'
                    WHEN t.u < 0.80 THEN CASE WHEN k.fr THEN 'vendredi dernier'
                                              ELSE 'last Friday' END
               END,
               CASE WHEN t.u >= 0.70 AND t.u < 0.80 THEN 'source' ELSE 'none' END,
               CASE WHEN t.u >= 0.70 AND t.u < 0.80 THEN pg_temp.uid({SOURCE}, k.src) END,
               CASE WHEN t.u >= 0.70 AND t.u < 0.80 THEN -1 - (k.src % 7)::int END,
               CASE WHEN t.u < 0.50 THEN daterange(t.d, t.d + 1)
                    WHEN t.u < 0.65 THEN daterange(date_trunc('month', t.d)::date,
                                          (date_trunc('month', t.d) + interval '1 month')::date)
                    WHEN t.u < 0.70 THEN daterange(t.d - 7, t.d)
                    WHEN t.u < 0.80 THEN daterange(t.day - 1 - (k.src % 7)::int,
                                                   t.day - (k.src % 7)::int)
               END,
               CASE WHEN t.u < 0.50 THEN 'day' WHEN t.u < 0.65 THEN 'month'
                    WHEN t.u < 0.70 THEN 'week' WHEN t.u < 0.80 THEN 'day' ELSE 'unknown' END,
               -- speakers given by id, as a client that knows them sends them
               CASE WHEN k.speaker IS NOT NULL THEN 'id' END,
               CASE WHEN k.speaker IS NOT NULL THEN 1.0 END
        FROM gen_chains AS ch
        CROSS JOIN LATERAL generate_series(1, least(ch.links, {n_total} - ch.first_n + 1)) AS p
        CROSS JOIN LATERAL (SELECT ch.first_n + p - 1 AS n) AS num
        CROSS JOIN LATERAL (
          SELECT r.*,
                 CASE WHEN r.speaker IS NULL THEN 'own_voice'
                      ELSE (ARRAY['direct_quote', 'direct_quote', 'direct_quote',
                                  'partial_quote', 'paraphrase', 'paraphrase', 'paraphrase',
                                  'paraphrase', 'paraphrase', 'paraphrase'
                                 ])[1 + floor(pg_temp.h(n, 56) * 10)::int]
                 END AS mode
          FROM (
            SELECT pg_temp.source_of(n, 57) AS src,
                   pg_temp.h(ch.claim_no, 40) < 0.35 AS fr,
                   CASE
                     WHEN p > 1 AND pg_temp.h(n, 58) < 0.5
                       THEN pg_temp.publisher_of(pg_temp.source_of(n - 1, 57))
                     WHEN ch.links = 1 AND o.u < {own_voice} THEN NULL
                     WHEN o.u < {own_voice + anonymous}
                       THEN pg_temp.anonymous_actor(ch.first_n)
                     ELSE pg_temp.named_actor(ch.first_n)
                   END AS speaker,
                   CASE WHEN o.u >= {own_voice} AND o.u < {own_voice + anonymous}
                             AND NOT (p > 1 AND pg_temp.h(n, 58) < 0.5)
                        THEN 'anonymous' END AS speaker_kind
            FROM (SELECT pg_temp.h(ch.first_n, 59) AS u) AS o
          ) AS r
        ) AS k
        CROSS JOIN LATERAL (
          SELECT pg_temp.h(n, 60) AS u,
                 pg_temp.source_day(k.src) AS day,
                 pg_temp.source_day(k.src) - floor(pg_temp.h(n, 61) * 4)::int AS d
        ) AS t
        """,
        # A source relaying another source's attribution cites it.
        f"""
        INSERT INTO source_citations (id, citing_source_id, cited_source_id)
        SELECT pg_temp.uid({MISC}, 4000000000 + row_number() OVER ()), citing, cited
        FROM (
          SELECT DISTINCT a.source_id AS citing, r.source_id AS cited
          FROM attributions AS a JOIN attributions AS r ON r.id = a.relayed_through_id
          WHERE a.source_id <> r.source_id
        ) AS pairs
        """,
        f"""
        INSERT INTO claim_events (id, claim_id, event_id)
        SELECT pg_temp.uid({MISC}, 5000000000 + c), pg_temp.uid({CLAIM}, c),
               pg_temp.uid({EVENT}, 1 + floor(pg_temp.h(c, 71) * {plan.events})::bigint)
        FROM generate_series(1, (SELECT max(claim_no) FROM gen_chains)) AS c
        WHERE pg_temp.h(c, 72) < 0.03
        """,
        # Claim relations between claims of the same topic (same object word).
        f"""
        INSERT INTO claim_relations (id, kind, from_claim_id, to_claim_id, note)
        SELECT pg_temp.uid({MISC}, 6000000000 + r), kind,
               pg_temp.uid({CLAIM}, a), pg_temp.uid({CLAIM}, b), 'generated'
        FROM (
          SELECT r,
                 (ARRAY['contradicts', 'contradicts', 'same_as', 'supports'
                       ])[1 + floor(pg_temp.h(r, 81) * 4)::int] AS kind,
                 1 + floor(pg_temp.h(r, 82) * m)::bigint AS a,
                 1 + floor(pg_temp.h(r, 83) * m)::bigint AS b
          FROM generate_series(1, greatest(10, {n_total} / 50)) AS r,
               (SELECT max(claim_no) AS m FROM gen_chains) AS mx
        ) AS pairs
        WHERE a <> b
        ON CONFLICT DO NOTHING
        """,
    ]


TABLES = (
    "actors",
    "actor_names",
    "sources",
    "source_authors",
    "source_citations",
    "events",
    "event_participants",
    "event_relations",
    "claims",
    "claim_translations",
    "claim_events",
    "claim_relations",
    "attributions",
)


REFRESH_CANDIDATES = (
    "app.provenance.corroboration",
    "app.provenance",
    "app.provenance.service",
)


def find_refresh() -> Any:
    """The app's set-based refresh of derived counters, if it has one."""
    for module_name in REFRESH_CANDIDATES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        refresh = getattr(module, "refresh_corroboration", None)
        if refresh is not None:
            return refresh
    return None


REFRESH_BATCH = 5000
"""Claim ids per call: an expanding IN list must stay under asyncpg's 32767 arguments."""


async def _refresh_derived(database_url: str) -> str | None:
    """Fill the derived counters with the app's own set-based refresh, if it
    has one: ``refresh_corroboration(session, claim_ids=...)`` over every
    claim, in batches (one UPDATE ... FROM (recursive CTE) statement each)."""
    refresh = find_refresh()
    if refresh is None:
        return None
    from sqlalchemy import select

    from app.db import create_engine, session_factory

    engine = create_engine(database_url, pool_size=1)
    try:
        async with session_factory(engine)() as session:
            if "claim_ids" in inspect.signature(refresh).parameters:
                from app.claims.models import Claim

                ids = list((await session.execute(select(Claim.id).order_by(Claim.id))).scalars())
                for start in range(0, len(ids), REFRESH_BATCH):
                    await refresh(session, claim_ids=ids[start : start + REFRESH_BATCH])
            else:
                await refresh(session)
            await session.commit()
    finally:
        await engine.dispose()
    return f"{refresh.__module__}.{refresh.__qualname__}"


async def generate(
    database_url: str,
    attributions: int = DEFAULT_ATTRIBUTIONS,
    *,
    shape: Shape | None = None,
    vacuum: bool = True,
) -> dict[str, Any]:
    """Fill a migrated, empty database; returns row counts and timings."""
    from sqlalchemy.engine import make_url

    shape = shape or polnear_shape()
    plan = Plan.at(attributions)
    started = time.perf_counter()
    connection: asyncpg.Connection = await asyncpg.connect(
        **_asyncpg_params(make_url(database_url))
    )
    timings: dict[str, float] = {}
    try:
        existing = await connection.fetchval("SELECT count(*) FROM attributions")
        if existing:
            raise RuntimeError(f"the database already holds {existing} attributions")
        async with connection.transaction():
            await connection.execute("SET LOCAL synchronous_commit = off")
            steps = {
                "setup": _setup_sql(plan, shape),
                "actors": _actors_sql(plan),
                "sources": _sources_sql(plan, shape),
                "events": _events_sql(plan),
                "claims+attributions": _attributions_sql(plan, shape),
            }
            for name, statements in steps.items():
                step_started = time.perf_counter()
                for statement in statements:
                    await connection.execute(statement)
                timings[name] = round(time.perf_counter() - step_started, 2)
        step_started = time.perf_counter()
        refreshed = await _refresh_derived(database_url)
        timings["refresh"] = round(time.perf_counter() - step_started, 2)
        step_started = time.perf_counter()
        # VACUUM sets the visibility map (index-only scans), as autovacuum
        # would on a live database; ANALYZE gives the planner real statistics.
        await connection.execute("VACUUM (ANALYZE)" if vacuum else "ANALYZE")
        timings["analyze"] = round(time.perf_counter() - step_started, 2)
        counts = {
            table: await connection.fetchval(f"SELECT count(*) FROM {table}") for table in TABLES
        }
        relay_depth = await connection.fetchval(
            """
            WITH RECURSIVE chain(id, depth) AS (
              SELECT id, 1 FROM attributions WHERE relayed_through_id IS NULL
              UNION ALL
              SELECT a.id, chain.depth + 1 FROM attributions AS a JOIN chain
                ON a.relayed_through_id = chain.id
            ) SELECT max(depth) FROM chain
            """
        )
    finally:
        await connection.close()
    return {
        "attributions_requested": attributions,
        "shape": shape.origin,
        "rows": counts,
        "max_relay_depth": relay_depth,
        "derived_refresh": refreshed,
        "seconds": round(time.perf_counter() - started, 2),
        "step_seconds": timings,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("ONRECORD_DATABASE_URL"),
        help="A PostgreSQL database (created and migrated if needed).",
    )
    parser.add_argument("--attributions", type=int, default=DEFAULT_ATTRIBUTIONS)
    parser.add_argument("--polnear", type=Path, default=DEFAULT_POLNEAR)
    args = parser.parse_args()
    if not args.database_url:
        parser.error("--database-url or ONRECORD_DATABASE_URL is required")
    from sqlalchemy.engine import make_url

    from app.embedded import ensure_database
    from app.migrate import upgrade

    url = make_url(args.database_url)
    asyncio.run(ensure_database(url, str(url.database)))
    upgrade(args.database_url)
    summary = asyncio.run(
        generate(args.database_url, args.attributions, shape=polnear_shape(args.polnear))
    )
    import json

    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
