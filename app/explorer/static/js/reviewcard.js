// One proposed attribution on the review page, as a card: its spans (each
// replaced, extended or removed with a selection in the text), speaker (a
// proposed actor, a stored one found through search, or the source's own
// voice), mode, certainty, relay and time, and Accept / Reject. The card
// edits ``state`` (reviewbundle.js) and calls ``onChange`` after each edit.
import { get } from "./api.js";
import { h } from "./dom.js";
import { CERTAINTY, MODES, OWN_VOICE, asWritten, fuzzyDate } from "./format.js";
import { ROLES } from "./highlight.js";
import { corrections } from "./reviewbundle.js";

const FIELD_NAMES = {
  spans: "spans", speaker: "speaker", mode: "mode", certainty: "certainty", relayedThrough: "relay", time: "time",
};

function shortText(text, max = 60) {
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, max - 2).join("").trimEnd()}…` : text;
}

function speakerValue(speaker) {
  if (!speaker) return "own-voice";
  return speaker.ref ? `ref:${speaker.ref}` : `id:${speaker.id}`;
}

function option(value, label, selected) {
  const element = h("option", { value }, label);
  element.selected = selected;
  return element;
}

function labelled(id, label, control, help = null) {
  return h("div", { class: "review-field" }, h("label", { for: id }, label), control,
    help ? h("p", { class: "field-help muted" }, help) : null);
}

/** The one-line name of a proposal: its speaker and cue, or where it was said. */
export function proposalName(extraction, state, actorsByRef) {
  const speaker = state.speaker ? (state.speaker.name || actorsByRef.get(state.speaker.ref)?.name) : OWN_VOICE;
  const cue = state.spans.filter((s) => s.role === "cue").map((s) => s.text).join(" … ");
  return `${state.ref} · ${speaker}${cue ? ` · ${shortText(cue, 30)}` : ""}`;
}

/**
 * The card of ``state`` (proposal ``extraction.attributions[state.index]``).
 * ``selection()``: the words selected in the text ({start, end, text}) or
 * null; ``onChange(state)`` after every edit; ``onShow(state)`` when the
 * reader asks to see its words in the text.
 */
export function reviewCard({ extraction, state, states, actorsByRef, sourcesByRef, selection, onChange, onShow }) {
  const proposal = extraction.attributions[state.index];
  const id = (name) => `${state.ref}-${name}`;
  const title = h("button", { type: "button", class: "link-button card-title", "data-primary": "" });
  title.addEventListener("click", () => onShow(state));
  const status = h("p", { class: "review-status", "data-testid": "review-status" });
  const spanList = h("ul", { class: "review-spans", "aria-label": `Spans of ${state.ref}` });
  const changed = () => {
    update();
    onChange(state);
  };

  // ------------------------------------------------ spans, corrected by a selection
  const roleSelect = h("select", { id: id("role") },
    Object.entries(ROLES).map(([role, info]) => option(role, info.label, role === "content")));
  const replace = h("button", { type: "button", class: "secondary-button", "aria-label": "Replace with the selection" }, "Replace");
  const add = h("button", { type: "button", class: "secondary-button", "aria-label": "Add the selection" }, "Add");
  const useSelection = (keepOthers) => {
    for (const other of states) {
      const item = relaySelect.querySelector(`option[value="${other.index}"]`);
      if (item) item.textContent = relayLabel(other);
    }
    const picked = selection();
    if (!picked) return;
    const role = roleSelect.value;
    state.spans = state.spans.filter((s) => keepOthers || s.role !== role);
    if (!state.spans.some((s) => s.role === role && s.start === picked.start && s.end === picked.end)) {
      state.spans.push({ role, start: picked.start, end: picked.end, text: picked.text });
    }
    changed();
  };
  replace.addEventListener("click", () => useSelection(false));
  add.addEventListener("click", () => useSelection(true));
  const correct = h("div", { class: "review-correct", role: "group", "aria-label": `Correct a span of ${state.ref}` },
    h("label", { for: id("role") }, "Selected words as"), roleSelect, replace, add);

  // ------------------------------------------------ speaker
  const speakerSelect = h("select", { id: id("speaker") });
  const found = new Map(); // stored actors found by search: value -> actor
  const fillSpeakers = () => {
    const current = speakerValue(state.speaker);
    speakerSelect.replaceChildren(...[
      h("optgroup", { label: "Proposed" }, extraction.actors.filter((a) => a.kind !== "media" || a.ref === proposal.speaker)
        .map((a) => option(`ref:${a.ref}`, `${a.name} (${a.actor_id ? "stored actor" : "new actor"})`,
          current === `ref:${a.ref}`))),
      found.size ? h("optgroup", { label: "Stored actors found" }, [...found.entries()].map(([value, actor]) =>
        option(value, `${actor.name} (stored actor)`, current === value))) : null,
      option("own-voice", OWN_VOICE, current === "own-voice"),
    ].filter(Boolean));
  };
  fillSpeakers();
  speakerSelect.addEventListener("change", () => {
    const value = speakerSelect.value;
    if (value === "own-voice") state.speaker = null;
    else if (value.startsWith("ref:")) state.speaker = { ref: value.slice(4) };
    else state.speaker = { id: value.slice(3), name: found.get(value).name };
    if (!state.speaker) modeSelect.value = state.mode = "own_voice";
    else if (state.mode === "own_voice") modeSelect.value = state.mode = proposal.mode === "own_voice" ? "paraphrase" : proposal.mode;
    changed();
  });
  const query = h("input", { id: id("find"), type: "search", autocomplete: "off", spellcheck: "false" });
  const findButton = h("button", { type: "button", class: "secondary-button" }, "Find");
  const results = h("ul", { class: "found-actors", "aria-live": "polite", "aria-label": "Stored actors found" });
  const find = async () => {
    const q = query.value.trim();
    if (!q) return;
    results.replaceChildren(h("li", { class: "muted" }, "Searching…"));
    try {
      const answer = await get("/search", { q, types: "actor", limit: 8 });
      results.replaceChildren(...(answer.results.length ? answer.results.map((result) => {
        const actor = { id: result.id, name: result.summary?.name || result.id };
        const choose = h("button", { type: "button", class: "link-button" }, `Choose ${actor.name}`);
        choose.addEventListener("click", () => {
          found.set(`id:${actor.id}`, actor);
          state.speaker = { id: actor.id, name: actor.name };
          if (state.mode === "own_voice") state.mode = proposal.mode === "own_voice" ? "paraphrase" : proposal.mode;
          modeSelect.value = state.mode;
          fillSpeakers();
          results.replaceChildren();
          query.value = "";
          speakerSelect.focus();
          changed();
        });
        return h("li", null, choose, result.summary?.kind ? h("span", { class: "kind" }, result.summary.kind) : null);
      }) : [h("li", { class: "muted" }, "No stored actor by that name.")]));
    } catch (error) {
      results.replaceChildren(h("li", { role: "alert" }, `The search failed: ${error.message}`));
    }
  };
  findButton.addEventListener("click", find);
  query.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      find();
    }
  });

  // ------------------------------------------------ mode, certainty, relay, time
  const modeSelect = h("select", { id: id("mode") },
    Object.entries(MODES).map(([value, label]) => option(value, label, value === state.mode)));
  modeSelect.addEventListener("change", () => {
    state.mode = modeSelect.value;
    changed();
  });
  const certaintySelect = h("select", { id: id("certainty") },
    Object.entries(CERTAINTY).map(([value, info]) => option(value, `${info.label}: ${info.help}`, value === state.certainty)));
  certaintySelect.addEventListener("change", () => {
    state.certainty = certaintySelect.value;
    changed();
  });
  const relayLabel = (other) => `${proposalName(extraction, other, actorsByRef)}`
    + `${other.decision === "rejected" ? " (rejected: not stored)" : ""}`;
  const relaySelect = h("select", { id: id("relay") },
    option("", "none: it relays no other record", state.relayedThrough === null),
    states.filter((other) => other !== state).map((other) => option(String(other.index), relayLabel(other),
      other.index === state.relayedThrough)));
  relaySelect.addEventListener("change", () => {
    state.relayedThrough = relaySelect.value === "" ? null : Number(relaySelect.value);
    changed();
  });
  const dateInput = (which) => {
    const input = h("input", { id: id(which), type: "date", value: state.time[which] || null });
    input.addEventListener("change", () => {
      state.time[which] = input.value || null;
      changed();
    });
    return input;
  };
  const time = h("fieldset", { class: "review-time" },
    h("legend", null, "When it was said"),
    proposal.time?.expression ? h("p", { class: "field-help muted" }, "As written: ",
      asWritten(proposal.time, extraction.language)) : null,
    h("div", { class: "review-dates" },
      labelled(id("earliest"), "Earliest day", dateInput("earliest")),
      labelled(id("latest"), "Latest day", dateInput("latest"))));

  // ------------------------------------------------ decision
  const decide = (decision) => {
    state.decision = state.decision === decision ? "pending" : decision;
    changed();
  };
  const accept = h("button", { type: "button", class: "secondary-button decide-accept", "aria-pressed": "false" }, "Accept");
  const reject = h("button", { type: "button", class: "secondary-button decide-reject", "aria-pressed": "false" }, "Reject");
  accept.addEventListener("click", () => decide("accepted"));
  reject.addEventListener("click", () => decide("rejected"));

  const source = sourcesByRef.get(proposal.source);
  const facts = h("p", { class: "review-facts", "data-testid": "review-facts" });
  const card = h("li", { class: "card review-card", "data-card": "", "data-ref": state.ref },
    h("h3", { class: "review-card-title" }, title),
    status,
    proposal.source !== "S0"
      ? h("p", { class: "muted review-where" }, `Said in ${source?.title || "a source the text names"}, `
        + "a source the text names (stored with it): no words of this text.")
      : null,
    spanList,
    proposal.source === "S0" ? correct : null,
    facts,
    h("details", { class: "review-edit" },
      h("summary", null, "Correct the speaker, mode, certainty, relay or time"),
      h("div", { class: "review-field" },
        h("label", { for: id("speaker") }, "Speaker"), speakerSelect,
        h("div", { class: "find-actor" },
          h("label", { for: id("find"), class: "field-help" }, "Find a stored actor"), query, findButton),
        results),
      labelled(id("mode"), "Mode", modeSelect),
      labelled(id("certainty"), "Certainty", certaintySelect,
        proposal.certainty_cue ? `The model read it from \u201c${proposal.certainty_cue}\u201d.` : null),
      labelled(id("relay"), "Relays", relaySelect),
      time),
    h("div", { class: "curate-actions", role: "group", "aria-label": `Decide on ${state.ref}` }, accept, reject));

  function update() {
    title.textContent = proposalName(extraction, state, actorsByRef);
    card.dataset.decision = state.decision;
    const fixed = corrections(state, proposal);
    card.dataset.corrected = fixed.length ? "true" : "false";
    status.replaceChildren(...[
      h("span", { class: `badge decision decision-${state.decision}` },
        { pending: "not decided", accepted: "accepted", rejected: "rejected" }[state.decision]),
      fixed.length ? " " : null,
      fixed.length ? h("span", { class: "badge corrected" },
        `corrected: ${fixed.map((field) => FIELD_NAMES[field]).join(", ")}`) : null,
    ].filter(Boolean));
    accept.setAttribute("aria-pressed", String(state.decision === "accepted"));
    reject.setAttribute("aria-pressed", String(state.decision === "rejected"));
    const dated = state.time.earliest || state.time.latest;
    facts.replaceChildren(...[
      h("span", null, MODES[state.mode] || state.mode), " · ",
      h("span", { class: `certainty-word certainty-${state.certainty}` }, state.certainty),
      dated ? ` · said ${fuzzyDate(state.time)}` : " · time not given",
      state.relayedThrough !== null ? ` · relays A${state.relayedThrough}` : null,
      ` · model confidence ${Number(proposal.confidence).toFixed(2)}`,
    ].filter(Boolean));
    const sorted = [...state.spans].sort((a, b) => a.start - b.start);
    spanList.replaceChildren(...(sorted.length ? sorted.map((span) => {
      const remove = h("button", { type: "button", class: "link-button", "aria-label": `Remove ${span.role} \u201c${shortText(span.text, 30)}\u201d` }, "Remove");
      remove.addEventListener("click", () => {
        state.spans = state.spans.filter((s) => s !== span);
        changed();
      });
      return h("li", { "data-role": span.role, "data-start": span.start, "data-end": span.end },
        h("mark", { class: `hl hl-${span.role} hl-sample` }, ROLES[span.role].label), " ",
        h("q", { lang: extraction.language }, shortText(span.text, 140)), " ", remove);
    }) : [h("li", { class: "muted" }, "No words of the text.")]));
    for (const other of states) {
      const item = relaySelect.querySelector(`option[value="${other.index}"]`);
      if (item) item.textContent = relayLabel(other);
    }
    const picked = selection();
    replace.disabled = add.disabled = !picked;
  }
  update();
  return { element: card, state, update, focus: () => title.focus() };
}
