// The extraction review page (#/review, or #/review?source=<id> for a stored
// source's text): a text, its language and publication day go to POST
// /v1/extractions; the proposal comes back highlighted as on a source's page,
// each proposed attribution a card to correct, accept or reject; the accepted
// ones are stored as one bundle (POST /v1/bundles, all or nothing, with the
// tab's write key) or downloaded as JSON.
import { ApiError, get, post } from "./api.js";
import { cardList, sourceLink } from "./cards.js";
import { writeWithKey } from "./curation.js";
import { h, section } from "./dom.js";
import { fuzzyDate, isDated, languageName, plural } from "./format.js";
import { ROLES, highlightLegend, highlightedText } from "./highlight.js";
import { corrections, initialState, reviewedBundle } from "./reviewbundle.js";
import { proposalName, reviewCard } from "./reviewcard.js";
import { howToGetAKey } from "./writekey.js";

/** A refusal of the API in words: its detail, and each field error. */
function problemLines(error) {
  const problem = error instanceof ApiError ? error.problem : null;
  return [
    h("p", { "data-status": error.status ?? "" }, error instanceof ApiError
      ? `${error.message}${/[.!?]$/.test(error.message) ? "" : "."}`
      : `The request could not be sent: ${error.message}.`),
    problem?.errors?.length
      ? h("ul", null, problem.errors.map((e) => h("li", null, `${e.pointer || "body"}: ${e.detail}`)))
      : null,
  ];
}

function requestForm(stored, onSubmit) {
  const text = h("textarea", {
    id: "review-text", name: "text", rows: 10, spellcheck: "false", required: true,
    "aria-describedby": "review-text-help", readonly: stored ? true : null,
  });
  text.value = stored?.full_text || "";
  const language = h("select", { id: "review-language", name: "language" },
    [["auto", "Tell from the text"], ["en", "English"], ["fr", "French"]].map(([value, label]) => {
      const element = h("option", { value }, label);
      element.selected = value === (stored && ["en", "fr"].includes(stored.language) ? stored.language : "auto");
      return element;
    }));
  const published = h("input", {
    id: "review-published", name: "published", type: "date",
    value: stored?.published?.earliest && stored.published.earliest === stored.published.latest
      ? stored.published.earliest : null,
  });
  const submit = h("button", { type: "submit", class: "primary-button" }, "Propose attributions");
  const form = h("form", { class: "review-form", "data-testid": "review-form" },
    h("label", { for: "review-text" }, "Text"),
    h("p", { id: "review-text-help", class: "field-help muted" }, stored
      ? ["The text of ", sourceLink(stored), ": what is stored is attached to it."]
      : "An article in English or French, as published (at most 200,000 characters). Nothing is stored "
        + "until you store what you accepted."),
    text,
    h("div", { class: "review-options" },
      h("div", { class: "review-field" }, h("label", { for: "review-language" }, "Language"), language),
      h("div", { class: "review-field" }, h("label", { for: "review-published" }, "Published on"), published,
        h("p", { class: "field-help muted", "data-testid": "published-help" }, "\u201cLast Friday\u201d is read from this day.",
          stored && isDated(stored.published) && !published.value
            ? ` The source is stored as published ${fuzzyDate(stored.published)}: give the day, if known.` : null))),
    h("div", { class: "curate-actions" }, submit));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    onSubmit({
      // A stored text exactly as stored (a text field would turn its CR LF into LF).
      text: stored ? stored.full_text : text.value, language: language.value, published: published.value || null,
      ...(stored ? { source: { id: stored.id } } : {}),
    }, submit);
  });
  return form;
}

export async function review(params) {
  const storedId = params.get("source");
  const stored = storedId ? await get(`/sources/${storedId}`) : null;
  const status = h("p", { class: "muted", role: "status", "data-testid": "review-progress" });
  const problemBox = h("div", { class: "problem", role: "alert", hidden: true, "data-testid": "review-problem" });
  const results = h("div", { class: "review-results", "data-testid": "review-results" });
  const propose = async (body, button) => {
    problemBox.hidden = true;
    button.disabled = true;
    status.textContent = "Reading the text\u2026 (the first text of a language takes a few seconds: its model loads)";
    results.replaceChildren();
    try {
      const extraction = await post("/extractions", body);
      status.textContent = "";
      results.replaceChildren(...reviewSections(extraction, body.text));
      document.getElementById("review-heading")?.focus();
    } catch (error) {
      status.textContent = "";
      problemBox.replaceChildren(h("p", null, h("strong", null, "No proposal.")), ...problemLines(error).filter(Boolean));
      problemBox.hidden = false;
    } finally {
      button.disabled = false;
    }
  };
  const content = [
    h("p", { class: "eyebrow page-kind" }, "Review"),
    h("h1", { id: "page-title", tabindex: "-1" }, "Review what the machine proposes"),
    h("p", { class: "lead" }, "The extraction model reads a text and proposes who said what, how surely, when "
      + "and on whose report. Check each proposal before it enters the record: correct its words by selecting "
      + "them in the text, change its speaker, mode, certainty, relay or time, then accept or reject it."),
    section("Text to read", "review-form-heading", requestForm(stored, propose), status, problemBox),
    results,
  ];
  return { title: "Review an extraction", content };
}

// ---------------------------------------------------------------- the proposal

function reviewSections(extraction, text) {
  const states = extraction.attributions.map((proposal, index) => initialState(proposal, index));
  const actorsByRef = new Map(extraction.actors.map((actor) => [actor.ref, actor]));
  const sourcesByRef = new Map(extraction.sources.map((source) => [source.ref, source]));
  let selected = null; // the words last selected in the text: {start, end, text}
  let highlighted = null;
  const selectedLine = h("p", { class: "review-selected", "aria-live": "polite", "data-testid": "review-selection" });
  const textHolder = h("div", { class: "review-text-holder" });
  const cards = new Map();
  const showSelected = () => {
    selectedLine.replaceChildren(...(selected
      ? ["Selected in the text: ", h("q", { lang: extraction.language }, selected.text),
        ` (characters ${selected.start}\u2013${selected.end}). In a card, choose the span it is and Replace or Add.`]
      : ["Select words in the text to correct a span, then choose in the card which span they are."]));
    for (const card of cards.values()) card.update();
  };
  const markSelected = (ref) => {
    for (const mark of textHolder.querySelectorAll("mark.hl-selected")) mark.classList.remove("hl-selected");
    if (ref) for (const mark of textHolder.querySelectorAll(`mark[data-group="${CSS.escape(ref)}"]`)) mark.classList.add("hl-selected");
  };
  const draw = () => {
    const spans = states.filter((state) => state.decision !== "rejected").flatMap((state) =>
      state.spans.map((span, index) => ({
        key: `${state.ref}:${index}`, group: state.ref, role: span.role, start: span.start, end: span.end,
        title: `${ROLES[span.role].label} · ${proposalName(extraction, state, actorsByRef)}`,
      })));
    highlighted = highlightedText({
      text, spans, lang: extraction.language, label: "Text with the proposed attributions highlighted",
      onOpen: (span) => {
        markSelected(span.group);
        const card = cards.get(span.group);
        card.element.scrollIntoView({ block: "nearest" });
        card.focus();
      },
    });
    highlighted.element.dataset.testid = "review-text";
    textHolder.replaceChildren(highlighted.element);
  };
  draw();
  const onSelection = () => {
    if (!textHolder.isConnected) {
      // The page (or this proposal) was replaced: its listener goes with it.
      document.removeEventListener("selectionchange", onSelection);
      return;
    }
    const span = highlighted.selectionSpan();
    if (span) {
      selected = span;
      showSelected();
    }
  };
  document.addEventListener("selectionchange", onSelection);
  const storePanel = storeSection(extraction, states);
  const changed = () => {
    draw();
    for (const card of cards.values()) card.update(); // another card's relay list names this one
    storePanel.update();
  };
  for (const state of states) {
    cards.set(state.ref, reviewCard({
      extraction, state, states, actorsByRef, sourcesByRef,
      selection: () => selected,
      onChange: (edited) => {
        if (selected && edited.spans.some((s) => s.start === selected.start && s.end === selected.end)) {
          selected = null; // used: the next correction needs a new selection
          showSelected();
        }
        changed();
      },
      onShow: (shown) => {
        markSelected(shown.ref);
        const first = [...shown.spans].sort((a, b) => a.start - b.start)[0];
        if (first) highlighted.focusSpan(`${shown.ref}:${shown.spans.indexOf(first)}`);
      },
    }));
  }
  showSelected();
  const inSources = extraction.attributions.filter((a) => a.source !== "S0").length;
  const summary = `${languageName(extraction.language)} text, read by ${extraction.model.name} `
    + `${extraction.model.version}: ${plural(states.length, "attribution")} proposed`
    + `${inSources ? `, ${inSources} of them in sources the text names` : ""}.`;
  const sections = [
    h("h2", { id: "review-heading", tabindex: "-1", class: "review-heading" }, "The proposal"),
    h("p", { class: "muted", "data-testid": "review-summary" }, summary),
    h("div", { class: "reading review-reading" },
      section("Text", "review-text-heading", highlightLegend(), textHolder),
      section("Proposed attributions", "review-cards-heading",
        selectedLine,
        h("p", { class: "muted" }, "Arrow keys move between cards. A rejected proposal leaves the text."),
        states.length
          ? cardList([...cards.values()].map((card) => card.element), { "data-testid": "review-cards" })
          : h("p", null, "The model found no attribution in this text."))),
    storePanel.element,
  ];
  return sections;
}

// ---------------------------------------------------------------- storing

function storeSection(extraction, states) {
  const counts = h("p", { "data-testid": "review-counts" });
  const problems = h("ul", { class: "review-problems", "data-testid": "review-blocking" });
  const problemBox = h("div", { class: "problem", role: "alert", hidden: true, "data-testid": "store-problem" });
  const done = h("div", { class: "flash", role: "status", tabindex: "-1", hidden: true, "data-testid": "store-status" });
  const store = h("button", { type: "button", class: "primary-button" }, "Store the accepted attributions");
  const download = h("button", { type: "button", class: "secondary-button" }, "Download the bundle (JSON)");
  const current = () => reviewedBundle(extraction, states);
  store.addEventListener("click", () => {
    const { bundle } = current();
    done.hidden = true;
    writeWithKey({
      buttons: [store, download], problemBox, reason: "Storing reviewed attributions needs a write key.",
      write: (key) => post("/bundles", bundle, { key }),
      done: (answer) => {
        store.disabled = download.disabled = false;
        const sourceId = answer.ids[extraction.sources[0].id || "S0"] || extraction.sources[0].id;
        const created = answer.created.attributions;
        done.replaceChildren(h("p", null,
          `Stored as one bundle: ${plural(bundle.attributions.length, "attribution")} `
          + `(${created} new), each marked accepted or corrected. `,
          sourceId ? h("a", { href: `#/sources/${sourceId}` }, "See them in the source") : null));
        done.hidden = false;
        done.focus();
      },
    });
  });
  download.addEventListener("click", () => {
    const { bundle } = current();
    const url = URL.createObjectURL(new Blob([`${JSON.stringify(bundle, null, 2)}\n`], { type: "application/json" }));
    const link = h("a", { href: url, download: `${bundle.id}.json`, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });
  function update() {
    const accepted = states.filter((s) => s.decision === "accepted");
    const corrected = accepted.filter((s) => corrections(s, extraction.attributions[s.index]).length);
    const rejected = states.filter((s) => s.decision === "rejected").length;
    const pending = states.length - accepted.length - rejected;
    counts.textContent = `${accepted.length} accepted (${corrected.length} corrected), ${rejected} rejected, `
      + `${pending} not decided. Only accepted ones are stored.`;
    const blocking = current().problems;
    problems.replaceChildren(...blocking.map((p) => h("li", null, `${p.ref}: ${p.message}.`)));
    store.disabled = download.disabled = accepted.length === 0 || blocking.length > 0;
  }
  update();
  const element = section("Store the review", "review-store-heading",
    h("p", { class: "muted" }, "The accepted attributions are stored together, in one bundle: all or nothing. "
      + "Each keeps the model that proposed it and whether you accepted it as proposed or corrected it."),
    counts, problems,
    h("div", { class: "curate-actions" }, store, download),
    h("p", { class: "when-no-key muted" }, "Storing needs a write key; the button asks for one. Without one, "
      + "download the bundle and import it later (POST /v1/bundles, or onrecord import). ", howToGetAKey()),
    problemBox, done);
  return { element, update };
}
