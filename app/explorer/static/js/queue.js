// The curation queue (GET /v1/curation): duplicate candidates, speakers the
// resolver could not place, and resolutions it was unsure of, by kind, in
// keyset pages; each item links to the actors (where merging is done) or to
// the attribution in its source.
import { get } from "./api.js";
import { actorLink, cardList, resolutionNote, sourceLink } from "./cards.js";
import { h } from "./dom.js";
import { shortTitle } from "./format.js";

const KINDS = {
  all: { label: "Everything", help: "" },
  duplicate: {
    label: "Duplicate candidates",
    help: "Two actors that may be one person: open one to merge them or say they are not.",
  },
  unresolved: {
    label: "Unresolved speakers",
    help: "A pronoun or description the resolver could not place: the speaker is an actor of its own.",
  },
  low_confidence: {
    label: "Low-confidence resolutions",
    help: "A speaker placed with a confidence under 0.6: check it in its source.",
  },
};
const PAGE_SIZE = 20;

function queueHref({ kind, limit, cursor = null, page = 1 }) {
  const query = new URLSearchParams();
  if (kind !== "all") query.set("kind", kind);
  if (limit !== PAGE_SIZE) query.set("limit", String(limit));
  if (cursor) {
    query.set("cursor", cursor);
    query.set("page", String(page));
  }
  const text = query.toString();
  return `#/curation${text ? `?${text}` : ""}`;
}

function switcher(kind, limit) {
  return h("nav", { class: "switcher", "aria-label": "Kind of item" },
    Object.entries(KINDS).map(([value, info]) => h("a", {
      href: queueHref({ kind: value, limit }), class: "switch", "aria-current": value === kind ? "page" : null,
    }, info.label)));
}

function duplicateItem(item, actors) {
  const [one, other] = [actors.get(item.actor_id), actors.get(item.candidate_id)];
  const link = (actor, id, primary) => h("a", { href: `#/actors/${id}`, "data-primary": primary ? "" : null },
    actor?.name || "an actor");
  return [
    h("p", { class: "eyebrow" }, `Duplicate candidate · score ${Number(item.score).toFixed(2)}`),
    h("p", { class: "queue-title" }, link(one, item.actor_id, true), " and ", link(other, item.candidate_id, false),
      " may be one person"),
    item.reason ? h("p", { class: "muted" }, item.reason) : null,
  ];
}

function attributionItem(item, attribution) {
  const eyebrow = item.kind === "unresolved" ? "Unresolved speaker" : "Low-confidence resolution";
  if (!attribution) {
    return [h("p", { class: "eyebrow" }, eyebrow),
      h("p", { class: "muted" }, `Attribution ${item.attribution_id} could not be read.`)];
  }
  const lang = attribution.claim?.language || null;
  const resolution = attribution.speaker_resolution
    || { mention: item.mention, method: item.method, confidence: item.confidence };
  return [
    h("p", { class: "eyebrow" }, eyebrow),
    h("p", { class: "queue-title" },
      // Quotation marks as text, not a <q>: a click at the centre of a link holding only a <q>
      // (where Playwright clicks) reached the paragraph around it in Chromium.
      h("a", { href: `#/sources/${attribution.source.id}?attribution=${attribution.id}`, "data-primary": "" },
        item.mention ? h("span", { lang }, `\u201c${item.mention}\u201d`) : "The speaker"),
      " in ", sourceLink(attribution.source, { class: "queue-source" })),
    h("p", { class: "queue-resolution" }, "Speaker ", actorLink(attribution.speaker), ": mention ",
      resolutionNote(resolution, { sourceId: attribution.source.id, lang })),
    attribution.claim
      ? h("p", { class: "queue-claim" }, "Said: ",
        h("a", { href: `#/claims/${attribution.claim.id}`, lang }, shortText(attribution.claim.text)))
      : null,
  ];
}

function shortText(text) {
  const chars = Array.from(text);
  return chars.length > 140 ? `${chars.slice(0, 138).join("").trimEnd()}…` : text;
}

export async function curationQueue(params) {
  const kind = KINDS[params.get("kind")] ? params.get("kind") : "all";
  const limit = Math.min(100, Math.max(1, Number.parseInt(params.get("limit"), 10) || PAGE_SIZE));
  const cursor = params.get("cursor") || null;
  const pageNumber = cursor ? Math.max(2, Number.parseInt(params.get("page"), 10) || 2) : 1;
  const page = await get("/curation", { kind: kind === "all" ? null : kind, limit, cursor });
  // The queue names records by id: read each once, in parallel.
  const actorIds = new Set();
  const attributionIds = new Set();
  for (const item of page.items) {
    if (item.kind === "duplicate") [item.actor_id, item.candidate_id].forEach((id) => actorIds.add(id));
    else if (item.attribution_id) attributionIds.add(item.attribution_id);
  }
  const settle = (promise) => promise.catch(() => null); // one unreadable record does not hide the page
  const [actors, attributions] = await Promise.all([
    Promise.all([...actorIds].map((id) => settle(get(`/actors/${id}`)))),
    Promise.all([...attributionIds].map((id) => settle(get(`/attributions/${id}`, { expand: "speaker,claim,source" })))),
  ]);
  const actorById = new Map([...actorIds].map((id, index) => [id, actors[index]]));
  const attributionById = new Map([...attributionIds].map((id, index) => [id, attributions[index]]));
  const first = (pageNumber - 1) * limit + 1;
  const items = page.items.map((item) => h("li", { class: "card queue-item", "data-card": "", "data-kind": item.kind },
    item.kind === "duplicate" ? duplicateItem(item, actorById) : attributionItem(item, attributionById.get(item.attribution_id))));
  const pager = h("nav", { class: "pager", "aria-label": "Pages of the queue", "data-testid": "pager" },
    h("p", { class: "muted" }, page.items.length
      ? `Page ${pageNumber}: items ${first}–${first + page.items.length - 1}${page.next ? "" : " (the last)"}`
      : `Page ${pageNumber}`),
    cursor ? h("a", { href: queueHref({ kind, limit }), class: "switch" }, "First page") : null,
    page.next ? h("a", {
      href: queueHref({ kind, limit, cursor: page.next, page: pageNumber + 1 }), class: "switch", rel: "next",
    }, "Next page") : null);
  const content = [
    h("h1", { id: "page-title", tabindex: "-1" }, "Curation queue"),
    h("p", { class: "lead" }, "What the speaker resolver left for a person to decide: actors that may be one "
      + "person, speakers it could not place, and resolutions it was unsure of. A wrong merge corrupts every "
      + "answer about two people, so the resolver leaves these to you."),
    switcher(kind, limit),
    KINDS[kind].help ? h("p", { class: "muted" }, KINDS[kind].help) : null,
    items.length
      ? cardList(items, { tag: "ol", class: "card-list queue", start: String(first), "data-testid": "queue" })
      : h("p", { "data-testid": "queue-empty" }, cursor ? "No more items." : "Nothing waits for a curator here."),
    pager,
  ];
  return { title: pageNumber > 1 ? `Curation queue, page ${pageNumber}` : "Curation queue", content };
}
