// Curation on an actor's page: its duplicate candidates, each with "merge"
// and "not the same person"; a merged actor's survivor and "Undo merge".
// Every write asks for the tab's write key first (writekey.js), sends the
// If-Match of the version this page read, and on refusal says why, the
// problem's own words, with nothing changed.
import { ApiError, post, read } from "./api.js";
import { cardList } from "./cards.js";
import { h, section } from "./dom.js";
import { ensureWriteKey, howToGetAKey, writeProblem } from "./writekey.js";

// What a write left to say once the page is drawn again: {hash, message, link}.
let flash = null;

/** Draw the current page again (main.js listens), then show ``message``. */
export function refreshWith(message, link = null) {
  flash = message ? { hash: window.location.hash, message, link } : null;
  window.dispatchEvent(new Event("explorer:refresh"));
}

/** The status line a write left for this page, focused so the reader hears it; or an empty one. */
export function flashMessage() {
  const shown = flash && flash.hash === window.location.hash ? flash : null;
  flash = null;
  const element = h("div", { class: "flash", role: "status", tabindex: "-1", "data-testid": "curation-status" },
    shown ? [h("p", null, shown.message, shown.link ? [" ", shown.link] : null)] : null);
  if (!shown) element.hidden = true;
  return element;
}

/** The note read-only readers see, and the one readers with a key see. */
function keyNote() {
  return h("div", { class: "key-note" },
    h("p", { class: "when-no-key" }, "Merging and \u201cnot the same person\u201d need a write key; "
      + "the buttons ask for one. ", howToGetAKey()),
    h("p", { class: "when-key muted" }, "This tab keeps a write key: the buttons below change the record "
      + "(a merge can be undone from the merged actor's page)."));
}

/**
 * Run ``write(key)`` for ``buttons``: asks for the key if the tab has none
 * (``reason`` says why), disables the buttons while it runs, and on refusal
 * puts the problem in ``problemBox`` (role=alert), with a way to read the page
 * again after a concurrent change (412), or to the survivor of a merged actor
 * (409 with ``merged_into``). ``done(answer)`` follows success. Any page that
 * writes can use it (storing a reviewed extraction, say).
 */
export async function writeWithKey({ buttons, problemBox, reason, write, done }) {
  problemBox.hidden = true;
  problemBox.replaceChildren();
  const key = await ensureWriteKey(reason);
  if (!key) return;
  for (const button of buttons) button.disabled = true;
  let answer;
  try {
    answer = await write(key);
  } catch (error) {
    for (const button of buttons) button.disabled = false;
    const problem = error instanceof ApiError ? error.problem : null;
    problemBox.replaceChildren(...[
      h("p", { "data-status": error.status ?? "" }, writeProblem(error)),
      problem?.merged_into
        ? h("p", null, h("a", { href: `#/actors/${problem.merged_into}` }, "Go to the actor it was merged into"))
        : null,
      error.status === 412
        ? h("p", null, "Someone changed it after this page was read. ",
          h("button", { type: "button", class: "link-button", onclick: () => refreshWith(null) },
            "Read the page again"), " to see it as it is now.")
        : null,
    ].filter(Boolean));
    problemBox.hidden = false;
    return;
  }
  done(answer);
}

// ---------------------------------------------------------------- candidates

function candidateCard(actor, candidate, versions) {
  const other = candidate.actor;
  const nameId = `candidate-${other.id}`;
  const problemBox = h("div", { class: "problem", role: "alert", hidden: true });
  const names = (other.names || []).map((n) => n.name).filter((name) => name !== other.name);
  const buttons = [];
  const button = (label, help, run) => {
    const element = h("button", {
      type: "button", class: "secondary-button", "aria-describedby": nameId, title: help,
    }, label);
    element.addEventListener("click", () => run(element));
    buttons.push(element);
    return element;
  };
  const merge = (merged, survivor) => writeWithKey({
    buttons, problemBox, reason: "Merging two actors needs a write key.",
    write: (key) => post(`/actors/${merged.id}/merge`, { into: survivor.id },
      { key, ifMatch: versions.get(merged.id) }),
    done: () => {
      if (merged.id === actor.id) {
        refreshWith(`Merged into ${survivor.name}: everything this actor said is now theirs.`);
      } else {
        refreshWith(`${merged.name} was merged into this actor.`,
          h("a", { href: `#/actors/${merged.id}` }, `Undo from ${merged.name}'s page`));
      }
    },
  });
  const actions = h("div", { class: "curate-actions", role: "group", "aria-label": `Curate ${other.name}` },
    button("Merge that one here", `Keep ${actor.name}: ${other.name}'s statements, names and roles move here`,
      () => merge(other, actor)),
    button("Merge this one into that", `Keep ${other.name}: ${actor.name}'s statements, names and roles move there`,
      () => merge(actor, other)),
    button("Not the same person", `Record that ${actor.name} and ${other.name} are different people`,
      () => writeWithKey({
        buttons, problemBox, reason: "Recording \u201cnot the same person\u201d needs a write key.",
        write: (key) => post(`/actors/${actor.id}/distinct`, { from: other.id }, { key }),
        done: () => refreshWith(`Recorded: ${actor.name} and ${other.name} are different people; `
          + "the resolver will not merge them."),
      })));
  return h("li", { class: "card candidate", "data-card": "", "data-candidate": other.id },
    h("p", { class: "candidate-title" },
      h("a", { href: `#/actors/${other.id}`, id: nameId, "data-primary": "" }, other.name),
      h("span", { class: "kind" }, other.kind), " ",
      h("span", { class: "badge score", title: "How likely the two are one person (1: surely)" },
        `score ${Number(candidate.score).toFixed(2)}`)),
    names.length ? h("p", { class: "muted candidate-names" }, `Also known as ${names.join(", ")}`) : null,
    other.description ? h("p", { class: "muted" }, other.description) : null,
    h("ul", { class: "reasons", "aria-label": "Why they may be one" },
      candidate.reasons.map((reason) => h("li", null, reason))),
    actions,
    problemBox);
}

/** What the actor page needs for curation: its candidates and each one's version (ETag). */
export async function loadCandidates(actor) {
  if (actor.status === "merged") return { candidates: [], versions: new Map() };
  const { body } = await read(`/actors/${actor.id}/duplicates`);
  // Each candidate as this page shows it, with the version a merge of it must match.
  const reads = await Promise.all(body.items.map((item) => read(`/actors/${item.actor.id}`)));
  const versions = new Map(reads.map((found) => [found.body.id, found.etag]));
  const candidates = body.items.map((item, index) => ({ ...item, actor: reads[index].body }))
    .filter((item) => item.actor.status !== "merged");
  return { candidates, versions };
}

/** The actor page's "Possibly the same person" section. */
export function candidatesSection(actor, { candidates, versions }, etag) {
  if (!candidates.length) {
    return section("Possibly the same person", "duplicates-heading",
      h("p", { class: "muted", "data-testid": "no-duplicates" }, "No duplicate candidate."));
  }
  versions.set(actor.id, etag);
  return section("Possibly the same person", "duplicates-heading",
    h("p", { class: "muted" }, "Actors the resolver would not merge by itself, best first: a tie, a shared "
      + "name or alias, a surname that matches a full name, the same role. A wrong merge corrupts every "
      + "answer about two people; a missed one costs a click here."),
    keyNote(),
    cardList(candidates.map((candidate) => candidateCard(actor, candidate, versions)),
      { "data-testid": "duplicates" }));
}

// ---------------------------------------------------------------- a merged actor

/** The notice on a merged actor's page: the survivor, and "Undo merge". */
export function mergedNotice(actor, etag, survivor) {
  const problemBox = h("div", { class: "problem", role: "alert", hidden: true });
  const undo = h("button", { type: "button", class: "primary-button" }, "Undo merge");
  undo.addEventListener("click", () => writeWithKey({
    buttons: [undo], problemBox, reason: "Undoing a merge needs a write key.",
    write: (key) => post(`/actors/${actor.id}/unmerge`, {}, { key, ifMatch: etag }),
    done: () => refreshWith(`Merge undone: ${actor.name} has its statements, names and roles back, and is `
      + `recorded as a different person from ${survivor.name}.`),
  }));
  return h("div", { class: "merged-notice", "data-testid": "merged-notice" },
    h("p", null, h("strong", null, "Merged. "), "A curator found this actor to be ",
      h("a", { href: `#/actors/${survivor.id}`, "data-testid": "survivor" }, survivor.name),
      ": what it said, its names and its roles are now that actor's. It stays readable here as it was."),
    h("p", { class: "when-no-key muted" }, "Undoing the merge needs a write key; the button asks for one."),
    h("div", { class: "curate-actions" }, undo),
    problemBox);
}
