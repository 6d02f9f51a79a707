// The pages: home, search, claim, actor. Each returns {title, content}
// built from the public API only (the source page: sourcepage.js; the
// sources view: sources.js; the timeline of events: events.js).
import { all, get, read } from "./api.js";
import {
  actorLink, cardList, claimCard, claimSummary, expandedRecords, recordList, resolutionNote,
} from "./cards.js";
import { candidatesSection, flashMessage, loadCandidates, mergedNotice } from "./curation.js";
import { h, section, snippet } from "./dom.js";
import {
  anonymousBadge, asWritten, dayName, englishOf, fuzzyDate, isDated, languageName, plural, recordBadges,
  shortTitle,
} from "./format.js";
import { chainList, legend, provenanceGraph } from "./graph.js";
import { timeline } from "./timeline.js";

// ---------------------------------------------------------------- home

export async function home() {
  const [claims, actors] = await Promise.all([
    get("/claims", { limit: 100, sort: "-independent_origins", expand: "attributions" }),
    all("/actors", { status: "active" }, 400),
  ]);
  const content = [
    h("div", { class: "intro" },
      h("h1", { id: "page-title", tabindex: "-1" }, "Who said what, when, and on whose report"),
      h("p", { class: "lead" },
        "Browse the claims OnRecord holds: open one to see every chain of reporting behind it, "
        + "from the original speaker to the documents that record it, and what contradicts it. "
        + "Open an actor to see what they said, on a timeline.")),
    h("div", { class: "columns-2-1" },
      section("Claims", "claims-heading",
        h("p", { class: "muted" }, "Each with who said it, in which source, and when. "
          + "Arrow keys move between cards."),
        cardList(claims.items.map((claim) => claimCard(claim, expandedRecords(claim), {
          extra: h("p", { class: "badges" }, recordBadges(claim)),
        })), { "data-testid": "home-claims" })),
      section("Actors", "actors-heading",
        h("ul", { class: "actor-list" }, actors.map((actor) => h("li", null,
          actorLink(actor), h("span", { class: "kind" }, actor.kind === "anonymous" ? "" : actor.kind)))))),
  ];
  return { title: "Explorer", content };
}

// ---------------------------------------------------------------- search

const RESULT_TYPES = { claim: "Claims", actor: "Actors", source: "Sources" };

function resultLink(result) {
  const summary = result.summary || {};
  const primary = { "data-primary": "" };
  if (result.type === "claim") {
    return h("a", { href: `#/claims/${result.id}`, lang: summary.language || null, ...primary }, summary.text);
  }
  if (result.type === "actor") return h("a", { href: `#/actors/${result.id}`, ...primary }, summary.name);
  return h("a", { href: `#/sources/${result.id}`, ...primary }, shortTitle(summary.title));
}

/** Who said a claim, where and when; who published a source, and when. */
function resultContext(result) {
  const summary = result.summary || {};
  if (result.type === "claim" && summary.records) {
    return recordList(summary.records, { total: summary.record_count });
  }
  if (result.type === "source") {
    return h("p", { class: "source-meta" }, String(summary.kind || "").replaceAll("_", " "),
      " · ", isDated(summary.published) ? `published ${fuzzyDate(summary.published)}` : "date unknown",
      summary.publisher ? [" · by ", h("a", { href: `#/actors/${summary.publisher.id}` }, summary.publisher.name)] : null);
  }
  return null;
}

export async function search(query) {
  const input = document.getElementById("search-input");
  if (input && input.value !== query) input.value = query;
  if (!query.trim()) {
    return { title: "Search", content: [h("h1", { id: "page-title", tabindex: "-1" }, "Search"),
      h("p", null, "Type a few words: a claim in French or English, an actor's name or alias, a source.")] };
  }
  const found = await get("/search", { q: query, limit: 50 });
  const groups = Object.entries(RESULT_TYPES).map(([type, label]) => {
    const results = found.results.filter((r) => r.type === type);
    if (!results.length) return null;
    return section(`${label} (${results.length})`, `results-${type}`,
      cardList(results.map((result) =>
        h("li", { class: "result", "data-card": "" },
          h("p", { class: "result-title" }, resultLink(result),
            result.type === "actor" && result.summary?.kind ? h("span", { class: "kind" }, ` ${result.summary.kind}`) : null),
          h("p", { class: "result-snippet", lang: result.language || null }, snippet(result.snippet),
            h("span", { class: "matched-in" }, ` — matched in ${String(result.matched_in).replaceAll("_", " ")}`)),
          resultContext(result))), { tag: "ol", class: "results", "data-testid": `results-${type}` }));
  });
  return {
    title: `“${query}”`,
    content: [
      h("h1", { id: "page-title", tabindex: "-1" }, `Results for “${query}”`),
      found.results.length ? null : h("p", null, "Nothing found. Try another spelling or the other language."),
      groups,
    ],
  };
}

// ---------------------------------------------------------------- claim

function bilingual(claim) {
  const english = englishOf(claim);
  const others = (claim.translations || []).filter((t) => t !== english);
  return h("div", { class: "bilingual", "data-testid": "bilingual" },
    h("div", { class: "side original" },
      h("p", { class: "side-label" }, `Original · ${languageName(claim.language)}`),
      h("h1", { id: "page-title", tabindex: "-1", lang: claim.language }, claim.text)),
    english ? h("div", { class: "side translation" },
      h("p", { class: "side-label" }, `English${english.note ? ` · ${english.note}` : ""}`),
      h("p", { class: "translated", lang: "en" }, english.text)) : null,
    others.map((t) => h("div", { class: "side translation" },
      h("p", { class: "side-label" }, `${languageName(t.language)}${t.note ? ` · ${t.note}` : ""}`),
      h("p", { class: "translated", lang: t.language }, t.text))));
}

function conflictCard(conflict) {
  const other = conflict.claim;
  // "contradicts": recorded from this claim to the other. Either way, they conflict.
  const direction = conflict.direction === "contradicts" ? "Contradicted by this claim" : "Contradicts this claim";
  const records = (other.speakers || []).map((sp) => ({
    speaker: sp.speaker, source: sp.source, time: { earliest: sp.earliest, latest: sp.latest },
    certainty: sp.certainty, mode: sp.mode, relayed: Boolean(sp.relayed_through_id),
  }));
  return h("li", { class: "card conflict", "data-card": "" },
    h("p", { class: "eyebrow" }, conflict.self_conflict ? `${direction} · same speaker` : direction),
    claimSummary(other),
    recordList(records, { shown: 10 }),
    conflict.note ? h("p", { class: "note" }, conflict.note) : null,
    conflict.asserted_by ? h("p", { class: "note" }, "Asserted by ", actorLink(conflict.asserted_by)) : null);
}

export async function claim(id) {
  const [provenance, conflicts] = await Promise.all([
    get(`/claims/${id}/provenance`),
    get(`/claims/${id}/conflicts`),
  ]);
  const c = provenance.claim;
  const chains = provenance.chains;
  const summary = [
    plural(provenance.independent_origins ?? 0, "independent origin"),
    plural(chains.length, "chain"),
  ];
  const content = [
    h("p", { class: "eyebrow page-kind" }, "Claim"),
    bilingual(c),
    h("p", { class: "badges" }, recordBadges(provenance)),
    section("On whose report", "provenance-heading",
      chains.length
        ? [
          h("p", { class: "muted" }, `${summary.join(" · ")}. Read left to right: the original speaker, `
            + "then each document or person that passed it on. Line style shows how certain the reporting is."),
          legend(),
          h("figure", { class: "graph-figure" },
            h("div", { class: "graph-scroll", tabindex: "0", role: "region", "aria-label": "Provenance graph, scrollable" },
              provenanceGraph(provenance)),
            h("figcaption", { class: "visually-hidden" }, "Provenance graph; the same chains follow as a list.")),
          h("h3", null, "The chains, as text"),
          chainList(provenance),
        ]
        : h("p", null, "Nothing records this claim yet.")),
    section("Conflicting claims", "conflicts-heading",
      conflicts.conflicts.length
        ? cardList(conflicts.conflicts.map(conflictCard), { "data-testid": "conflicts" })
        : h("p", { class: "muted" }, "No recorded contradiction.")),
  ];
  return { title: c.text, content };
}

// ---------------------------------------------------------------- actor

function statementEntry(item, index, speaker, resolutions) {
  const resolution = resolutions.get(item.id);
  return h("li", { class: "statement", "data-claim": item.claim.id, "data-card": "" },
    index === null ? null : h("p", { class: "when" },
      h("span", { class: "row-number" }, `${index + 1}.`), " ",
      h("strong", null, fuzzyDate(item.time)), " ", asWritten(item.time, item.claim.language)),
    claimSummary(item.claim),
    recordList([{
      speaker, source: item.source, time: item.time, certainty: item.certainty, mode: item.mode,
      cue: item.cue, relayed: !item.direct,
    }]),
    resolution ? h("p", { class: "resolution-line" }, "Speaker mention ",
      resolutionNote(resolution, { sourceId: item.source.id, lang: item.claim.language })) : null);
}

function actorFacts(person) {
  const names = person.names || [];
  return h("dl", { class: "facts" },
    person.nationality ? [h("dt", null, "Nationality"), h("dd", null, person.nationality)] : null,
    person.role_description ? [h("dt", null, "Role"), h("dd", null, person.role_description)] : null,
    names.length ? [h("dt", null, "Also known as"), h("dd", null, names.map((n, i) => [
      i ? ", " : "", h("span", { lang: n.language || null }, n.name)]))] : null,
    (person.roles || []).length ? [h("dt", null, "Roles"), h("dd", null, person.roles.map((r, i) => [
      i ? "; " : "", r.title,
      r.started_on || r.ended_on ? ` (${dayName(r.started_on) || "?"} – ${dayName(r.ended_on) || "now"})` : ""]))] : null);
}

function statementsSection(person, statements, resolutions) {
  const dated = statements.filter((item) => isDated(item.time));
  const undated = statements.filter((item) => !isDated(item.time));
  return section("What they said", "statements-heading",
    statements.length === 0 ? h("p", { class: "muted" }, "No recorded statement.") : null,
    dated.length ? [
      h("p", { class: "muted" }, "Each bar runs from the earliest to the latest day the statement may have been "
        + "made; a dot is a known day."),
      h("div", { class: "graph-scroll", tabindex: "0", role: "region", "aria-label": "Timeline, scrollable" },
        timeline(dated, person.name)),
      cardList(dated.map((item, index) => statementEntry(item, index, person, resolutions)),
        { tag: "ol", class: "statements", "data-testid": "statements-dated" }),
    ] : null,
    undated.length ? [
      h("h3", null, `Time not known (${undated.length})`),
      cardList(undated.map((item) => statementEntry(item, null, person, resolutions)),
        { class: "statements", "data-testid": "statements-undated" }),
    ] : null);
}

export async function actor(id) {
  const [{ body: person, etag }, statements, attributions] = await Promise.all([
    read(`/actors/${id}`),
    all(`/actors/${id}/statements`, {}, 1000),
    all("/attributions", { speaker_id: id }, 1000),
  ]);
  const merged = person.status === "merged";
  // A merged actor's statements are its survivor's (the API follows the merge): shown there.
  const [candidates, survivor] = await Promise.all([
    loadCandidates(person),
    merged ? get(`/actors/${person.merged_into}`) : null,
  ]);
  const resolutions = new Map(attributions.filter((a) => a.speaker_resolution)
    .map((a) => [a.id, a.speaker_resolution]));
  const anonymous = person.kind === "anonymous";
  const flash = flashMessage();
  const curation = merged ? null : candidatesSection(person, candidates, etag);
  const content = [
    h("p", { class: "eyebrow page-kind" }, anonymous ? anonymousBadge() : null,
      ` ${anonymous ? "Actor known only by description" : `Actor · ${person.kind}`}${merged ? " · merged" : ""}`),
    h("h1", { id: "page-title", tabindex: "-1" }, person.name),
    flash,
    merged ? mergedNotice(person, etag, survivor) : null,
    person.description ? h("p", { class: "lead" }, person.description) : null,
    actorFacts(person),
    // Candidates first when there are some: the statements below may be only part of this person's.
    candidates.candidates.length ? curation : null,
    merged
      ? section("What they said", "statements-heading", h("p", null, "Listed on the page of ",
        h("a", { href: `#/actors/${survivor.id}` }, survivor.name), ", the actor this one was merged into."))
      : statementsSection(person, statements, resolutions),
    candidates.candidates.length ? null : curation,
  ];
  const after = () => {
    if (!flash.hidden) flash.focus();
  };
  return { title: person.name, content, after };
}
