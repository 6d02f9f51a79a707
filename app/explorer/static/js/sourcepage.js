// A source's page: what it is, its text with every attribution's speaker, cue
// and content highlighted, the attribution behind a highlight (speaker, mode,
// certainty, relay chain, time), and the claims it records.
import { all, get } from "./api.js";
import { actorLink, cardList, claimCard, resolutionNote, sourceLink } from "./cards.js";
import { h, section } from "./dom.js";
import {
  CERTAINTY, OWN_VOICE, asWritten, certaintyBadge, englishOf, fuzzyDate, isDated, languageName, modeName,
  plural, shortTitle,
} from "./format.js";
import { ROLES, highlightLegend, highlightedText } from "./highlight.js";

/** The spans of an attribution; one recorded before ``spans`` existed has its ``span`` as content. */
function spansOf(attribution) {
  const fragments = attribution.spans?.length
    ? attribution.spans
    : attribution.span ? [{ role: "content", ...attribution.span }] : [];
  const who = attribution.speaker ? attribution.speaker.name : OWN_VOICE;
  return fragments.map((fragment, index) => ({
    key: `${attribution.id}:${index}`, group: attribution.id, role: fragment.role,
    start: fragment.start, end: fragment.end, attribution,
    title: `${ROLES[fragment.role].label} · ${who}`,
  }));
}

function roleCounts(spans) {
  const counts = { speaker: 0, cue: 0, content: 0 };
  for (const span of spans) counts[span.role] += 1;
  return counts;
}

// ---------------------------------------------------------------- relay chain

/** The hops of ``provenance`` chains that pass through ``attributionId``, origin first. */
function chainsThrough(provenance, attributionId) {
  return provenance.chains
    .filter((chain) => chain.hops.some((hop) => hop.attribution_id === attributionId))
    .map((chain) => [...chain.hops].sort((a, b) => b.depth - a.depth));
}

function hopLine(hop, here, sourceId) {
  const where = hop.source.id === sourceId ? "this source" : sourceLink(hop.source);
  return h("li", { class: here ? "hop hop-here" : "hop", "aria-current": here ? "true" : null },
    actorLink(hop.speaker), " in ", where, " ", certaintyBadge(hop.certainty),
    h("span", { class: "muted" }, ` ${modeName(hop.mode)}${hop.cue ? `, “${hop.cue}”` : ""}`),
    isDated(hop.time) ? h("span", { class: "muted" }, `, said ${fuzzyDate(hop.time)}`) : null,
    here ? h("strong", { class: "hop-marker" }, " ← this highlight") : null);
}

function relayChain(provenance, attribution) {
  const chains = chainsThrough(provenance, attribution.id);
  if (!chains.length) return h("p", { class: "muted" }, "No chain passes through this record (retracted?).");
  return chains.map((hops) => {
    const origin = hops[0];
    const lead = hops.length === 1
      ? (origin.speaker ? "First reported here: it relays no other record." : `Said in ${OWN_VOICE}: it relays no other record.`)
      : `Origin first: ${plural(hops.length, "record")}, each passing it on to the next.`;
    return h("div", { class: "relay" },
      h("p", { class: "muted" }, lead),
      h("ol", { class: "relay-chain", "data-testid": "relay-chain" },
        hops.map((hop) => hopLine(hop, hop.attribution_id === attribution.id, attribution.source_id))));
  });
}

// ---------------------------------------------------------------- the panel

function fact(term, ...value) {
  return [h("dt", null, term), h("dd", null, ...value)];
}

function attributionPanel({ onClose }) {
  const heading = h("h2", { id: "attribution-heading" }, "Attribution");
  const hint = () => h("p", { class: "muted" }, "Select a highlight in the text to see who said it, how, "
    + "how surely, when, and on whose report.");
  const body = h("div", { class: "attribution-body" }, hint());
  const close = h("button", { type: "button", class: "close-button", "aria-label": "Close the attribution" }, "Close");
  close.addEventListener("click", onClose);
  const element = h("section", {
    class: "panel attribution-panel", "aria-labelledby": "attribution-heading",
    "data-testid": "attribution", "aria-live": "polite",
  }, h("div", { class: "panel-head" }, heading, close), body);
  element.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && element.dataset.open) onClose();
  });
  const provenance = new Map(); // claim id -> promise of its provenance

  function show(span, covering, onPick) {
    const a = span.attribution;
    const english = englishOf(a.claim);
    element.dataset.open = "true";
    element.dataset.attribution = a.id;
    const others = covering.filter((other) => other.group !== a.id);
    const chain = h("div", { class: "relay-holder" }, h("p", { class: "muted" }, "Reading the relay chain…"));
    body.replaceChildren(...[
      h("p", { class: "picked" }, "The ", h("strong", null, ROLES[span.role].label), " highlight of:"),
      h("blockquote", { class: "claim-quote", lang: a.claim.language },
        h("a", { href: `#/claims/${a.claim.id}` }, a.claim.text)),
      english ? h("p", { class: "claim-english", lang: "en" }, english.text) : null,
      h("dl", { class: "facts attribution-facts" },
        fact("Speaker", actorLink(a.speaker)),
        a.speaker_resolution ? fact("Resolved", resolutionNote(a.speaker_resolution,
          { sourceId: a.source_id, lang: a.claim.language })) : null,
        fact("Mode", modeName(a.mode), a.cue ? [", cue ", h("q", { lang: a.claim.language }, a.cue)] : null),
        fact("Certainty", certaintyBadge(a.certainty), " ",
          h("span", { class: "muted" }, CERTAINTY[a.certainty]?.help || "")),
        fact("Time", isDated(a.time) ? fuzzyDate(a.time) : "not given", " ", asWritten(a.time, a.claim.language))),
      a.note ? h("p", { class: "note" }, a.note) : null,
      h("h3", null, "On whose report"),
      chain,
      h("p", null, h("a", { href: `#/claims/${a.claim.id}` }, "Every chain of this claim, as a graph")),
      others.length ? [
        h("h3", null, "Also highlighted here"),
        h("ul", { class: "also-here" }, others.map((other) => h("li", null,
          h("button", { type: "button", class: "link-button", onclick: () => onPick(other) },
            `${ROLES[other.role].label} of ${other.attribution.speaker?.name || OWN_VOICE}: `
            + `“${shortText(other.attribution.claim.text)}”`)))),
      ] : null,
    ].flat(Infinity).filter(Boolean));
    if (!provenance.has(a.claim.id)) provenance.set(a.claim.id, get(`/claims/${a.claim.id}/provenance`));
    provenance.get(a.claim.id).then(
      (found) => {
        if (element.dataset.attribution === a.id) chain.replaceChildren(...[relayChain(found, a)].flat());
      },
      () => chain.replaceChildren(h("p", { role: "alert" }, "The relay chain could not be read.")),
    );
  }

  function hide() {
    delete element.dataset.open;
    delete element.dataset.attribution;
    body.replaceChildren(hint());
  }
  return { element, show, hide, isOpen: () => Boolean(element.dataset.open) };
}

function shortText(text) {
  const chars = Array.from(text); // never cut a character in two
  return chars.length > 70 ? `${chars.slice(0, 68).join("").trimEnd()}…` : text;
}

// ---------------------------------------------------------------- the page

function sourceFacts(doc) {
  return h("dl", { class: "facts" },
    doc.publisher ? fact("Publisher", actorLink(doc.publisher)) : null,
    (doc.authors || []).length ? fact("Authors", doc.authors.map((a, i) => [i ? ", " : "", actorLink(a)])) : null,
    fact("Published", isDated(doc.published) ? fuzzyDate(doc.published) : "date unknown", " ",
      asWritten(doc.published, doc.language)),
    doc.language ? fact("Language", languageName(doc.language)) : null,
    doc.url ? fact("Address", h("span", { class: "url" }, doc.url)) : null,
    doc.counts ? fact("Records", `${plural(doc.counts.claims, "claim")}, ${plural(doc.counts.attributions, "attribution")}`) : null);
}

function claimsRecorded(items) {
  if (!items.length) return h("p", { class: "muted" }, "No claim recorded in this source.");
  return cardList(items.map((item) => claimCard(item.claim, item.attributions.map((a) => ({
    speaker: a.speaker, source: a.source, time: a.time, certainty: a.certainty, mode: a.mode, cue: a.cue,
    relayed: !a.direct,
  })))), { "data-testid": "source-claims" });
}

export async function source(id, query) {
  const [doc, attributions, claims] = await Promise.all([
    get(`/sources/${id}`, { expand: "publisher,authors,counts" }),
    all("/attributions", { source_id: id, expand: "speaker,claim" }, 20_000),
    all(`/sources/${id}/claims`, {}, 5000),
  ]);
  const spans = attributions.flatMap(spansOf);
  const counts = roleCounts(spans);
  let text = null;
  const close = () => {
    panel.hide();
    select(null);
    history.replaceState(null, "", `#/sources/${id}`);
    if (text?.currentKey()) text.focusSpan(text.currentKey());
  };
  const panel = attributionPanel({ onClose: close });
  const select = (group) => {
    for (const mark of text.element.querySelectorAll("mark.hl-selected")) mark.classList.remove("hl-selected");
    if (group) {
      for (const mark of text.element.querySelectorAll(`mark[data-group="${CSS.escape(group)}"]`)) {
        mark.classList.add("hl-selected");
      }
    }
  };
  const pick = (span, covering = [span]) => {
    select(span.group);
    panel.show(span, covering, (other) => {
      text.focusSpan(other.key);
      pick(other, covering);
    });
    history.replaceState(null, "", `#/sources/${id}?attribution=${span.group}`);
    // On a narrow screen the attribution covers the lower half: keep the highlight above it.
    text.mark(span.key)?.scrollIntoView({ block: "nearest" });
  };
  if (doc.full_text) {
    text = highlightedText({
      text: doc.full_text, spans, lang: doc.language, label: `Text of ${shortTitle(doc.title)}`, onOpen: pick,
    });
    text.element.dataset.testid = "source-text";
    text.element.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && panel.isOpen()) close();
    });
  }
  const summary = `${plural(attributions.length, "attribution")} highlighted: ${plural(counts.speaker, "speaker")}, `
    + `${plural(counts.cue, "cue")}, ${plural(counts.content, "content span")}.`;
  const content = [
    h("p", { class: "eyebrow page-kind" }, `Source · ${doc.kind}`),
    h("h1", { id: "page-title", tabindex: "-1" }, shortTitle(doc.title)),
    shortTitle(doc.title) !== doc.title ? h("p", { class: "lead" }, doc.title) : null,
    sourceFacts(doc),
    text
      ? h("div", { class: "reading" },
        section("Text", "text-heading",
          h("p", { class: "muted", "data-testid": "highlight-counts" }, summary),
          h("p", { class: "review-link" }, h("a", { href: `#/review?source=${doc.id}` },
            "Review what the extraction model proposes for this text")),
          highlightLegend(),
          text.element),
        panel.element)
      : section("Text", "text-heading", h("p", { class: "muted" }, "OnRecord does not hold this source's text.")),
    section("Claims it records", "source-claims-heading", claimsRecorded(claims)),
  ];
  const after = () => {
    const wanted = query.get("attribution");
    const span = wanted && spans.find((candidate) => candidate.group === wanted);
    if (span) {
      text.focusSpan(span.key);
      pick(span);
    }
  };
  return { title: shortTitle(doc.title), content, after };
}
