// Claims in lists: a card says what was said, who said it, where and when.
// Shared by every list of claims (home, search, a source, an actor, conflicts).
import { h } from "./dom.js";
import {
  OWN_VOICE, anonymousBadge, certaintyBadge, englishOf, fuzzyDate, isDated, modeName, shortTitle,
} from "./format.js";

/** An actor as a link, or the source's own voice (labelled as such) for none. */
export function actorLink(actor) {
  if (!actor) return h("span", { class: "own-voice" }, OWN_VOICE);
  const anonymous = actor.anonymous || actor.kind === "anonymous";
  return h("span", { class: "actor-ref" },
    h("a", { href: `#/actors/${actor.id}` }, actor.name), anonymous ? [" ", anonymousBadge()] : null);
}

export function sourceLink(source, attrs = {}) {
  return h("a", { href: `#/sources/${source.id}`, title: source.title, ...attrs }, shortTitle(source.title));
}

/** When: the day it was said if known, else the source's publication, else unknown. */
export function whenSaid(time, published) {
  if (isDated(time)) return `said ${fuzzyDate(time)}`;
  if (isDated(published)) return `published ${fuzzyDate(published)}`;
  return "date unknown";
}

/**
 * One record of a claim as a line: who (speaker or the source's own voice),
 * where (the source), when. ``record``: {speaker, source {id, title,
 * published?}, time?, certainty?, mode?, cue?, relayed?}.
 */
export function recordLine(record) {
  return h("li", { class: "record" },
    h("span", { class: "record-who" }, actorLink(record.speaker)),
    h("span", { class: "record-where" }, " in ", sourceLink(record.source)),
    h("span", { class: "record-when" }, ` · ${whenSaid(record.time, record.source.published)}`),
    record.certainty ? [" ", certaintyBadge(record.certainty)] : null,
    record.mode && record.speaker ? h("span", { class: "muted" },
      ` ${modeName(record.mode)}${record.cue ? `, “${record.cue}”` : ""}`) : null,
    record.relayed ? [" ", h("span", { class: "badge relayed" }, "relayed")] : null);
}

/** A claim's wording: original (with its language) and English; ``primary``
 * marks the link that card navigation moves to. */
export function claimSummary(claim, { link = true } = {}) {
  const english = englishOf(claim);
  const original = h("span", { lang: claim.language }, claim.text);
  return h("div", { class: "claim-summary" },
    h("p", { class: "claim-original" },
      link ? h("a", { href: `#/claims/${claim.id}`, "data-primary": "" }, original) : original),
    english ? h("p", { class: "claim-english", lang: "en" }, english.text) : null);
}

/** Who said it, where and when: at most ``shown`` records, and how many more. */
export function recordList(records, { total = records.length, shown = 3 } = {}) {
  if (!records.length) return h("p", { class: "records muted" }, "Not recorded in any source yet.");
  const more = total - Math.min(shown, records.length);
  return h("ul", { class: "records", "aria-label": "Who said it, where and when" },
    records.slice(0, shown).map(recordLine),
    more > 0 ? h("li", { class: "muted" }, `and ${more} more`) : null);
}

/** A claim card: wording, records, then whatever ``extra`` holds (badges...). */
export function claimCard(claim, records, { total, extra = null, attrs = {} } = {}) {
  return h("li", { class: "card", "data-card": "", "data-claim": claim.id, ...attrs },
    claimSummary(claim), recordList(records, { total }), extra);
}

/**
 * A list of cards that arrow keys move through: Up/Down (or Home/End) move
 * the focus to the previous/next card's main link; Tab still visits every link.
 */
export function cardList(cards, { tag = "ul", ...attrs } = {}) {
  const list = h(tag, { class: "card-list", ...attrs }, cards);
  list.addEventListener("keydown", (event) => {
    const moves = { ArrowDown: 1, ArrowUp: -1, Home: "first", End: "last" };
    if (!(event.key in moves) || event.altKey || event.ctrlKey || event.metaKey) return;
    // Form fields keep their own arrow keys (a select's options, a caret in a field).
    if (event.target.closest?.("input, select, textarea")) return;
    const card = event.target.closest?.("[data-card]");
    if (!card || card.parentElement !== list) return;
    const all = [...list.children].filter((child) => child.matches("[data-card]"));
    const at = all.indexOf(card);
    const move = moves[event.key];
    const to = move === "first" ? 0 : move === "last" ? all.length - 1 : at + move;
    const target = all[Math.max(0, Math.min(all.length - 1, to))];
    const link = target?.querySelector("[data-primary]") || target?.querySelector("a, button");
    if (link) {
      event.preventDefault();
      link.focus();
    }
  });
  return list;
}

/** Records of a claim as GET /v1/claims?expand=attributions embeds them. */
export function expandedRecords(claim) {
  return (claim.attributions || []).filter((a) => !a.retraction).map((a) => ({
    speaker: a.speaker ? { ...a.speaker, anonymous: a.speaker.kind === "anonymous" } : null,
    source: a.source, time: a.time, certainty: a.certainty, relayed: Boolean(a.relayed_through_id),
  }));
}

// ---------------------------------------------------------------- how a speaker was resolved

const RESOLUTION_METHODS = {
  id: "given by id",
  exact: "matched by its exact name",
  alias: "matched by a known alias",
  name_variant: "matched as a variant of the name",
  surname: "matched by the surname alone",
  description: "resolved as a description",
  pronoun: "resolved as a pronoun",
  same_sources: "resolved as \u201cthe same sources\u201d",
  new: "matched nobody: a new actor",
  manual: "set by a curator",
};
/** Below this a resolution is worth a curator's look (as GET /v1/curation counts it). */
export const LOW_CONFIDENCE = 0.6;

export function resolutionMethod(method) {
  return RESOLUTION_METHODS[method] || String(method || "").replaceAll("_", " ");
}

/**
 * How an attribution's speaker was found (``speaker_resolution``): the
 * mention as written, the method, the confidence, and the attribution it was
 * resolved through (in the same source). Null when the record has none.
 */
export function resolutionNote(resolution, { sourceId = null, lang = null } = {}) {
  if (!resolution) return null;
  const confidence = typeof resolution.confidence === "number" ? resolution.confidence : null;
  const through = resolution.through_attribution_id;
  return h("span", { class: "resolution", "data-method": resolution.method },
    resolution.mention ? [h("q", { lang }, resolution.mention), ", "] : null,
    resolutionMethod(resolution.method),
    through && sourceId
      ? [" (through ", h("a", { href: `#/sources/${sourceId}?attribution=${through}` }, "the attribution it refers back to"), ")"]
      : null,
    confidence === null ? null : `, confidence ${confidence.toFixed(2)}`,
    confidence !== null && confidence < LOW_CONFIDENCE
      ? [" ", h("span", { class: "badge worth-a-check" }, "worth a check")] : null);
}
