// Hash routing: #/ (browse), #/search?q=…, #/claims/<id>, #/actors/<id>,
// #/sources (?by=date), #/sources/<id> (?attribution=<id> opens one), #/events,
// #/curation (?kind=…&cursor=…: the curation queue), #/review (?source=<id>: an
// extraction to review).
import { ApiError } from "./api.js";
import { h } from "./dom.js";
import { events } from "./events.js";
import { curationQueue } from "./queue.js";
import { review } from "./review.js";
import { source } from "./sourcepage.js";
import { sources } from "./sources.js";
import * as views from "./views.js";
import { writeKeyButton } from "./writekey.js";

const main = document.getElementById("main");
let generation = 0;

function route(hash) {
  const path = hash.replace(/^#/, "") || "/";
  const [pathname, query = ""] = path.split("?");
  const parts = pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(query);
  if (parts.length === 0) return () => views.home();
  if (parts[0] === "search") return () => views.search(params.get("q") || "");
  if (parts.length === 2 && parts[0] === "claims") return () => views.claim(parts[1]);
  if (parts.length === 2 && parts[0] === "actors") return () => views.actor(parts[1]);
  if (parts.length === 1 && parts[0] === "sources") return () => sources(params);
  if (parts.length === 2 && parts[0] === "sources") return () => source(parts[1], params);
  if (parts.length === 1 && parts[0] === "events") return () => events();
  if (parts.length === 1 && parts[0] === "curation") return () => curationQueue(params);
  if (parts.length === 1 && parts[0] === "review") return () => review(params);
  return null;
}

function failure(error) {
  const notFound = error instanceof ApiError && (error.status === 404 || error.status === 422);
  return {
    title: notFound ? "Not found" : "Something went wrong",
    content: [
      h("h1", { id: "page-title", tabindex: "-1" }, notFound ? "Not found" : "Something went wrong"),
      h("p", { role: "alert" }, notFound
        ? "OnRecord holds nothing at this address."
        : `The API answered: ${error.message}`),
      h("p", null, h("a", { href: "#/" }, "Back to browsing")),
    ],
  };
}

async function render(focus) {
  const mine = ++generation;
  const view = route(window.location.hash);
  main.setAttribute("aria-busy", "true");
  let page;
  try {
    if (!view) throw new ApiError(404, null);
    page = await view();
  } catch (error) {
    if (!(error instanceof ApiError)) console.error(error);
    page = failure(error);
  }
  if (mine !== generation) return; // a later navigation won
  main.replaceChildren(...[page.content].flat(Infinity).filter(Boolean));
  main.setAttribute("aria-busy", "false");
  main.dataset.view = window.location.hash.split("?")[0].split("/")[1] || "home";
  document.title = `${page.title} — OnRecord Explorer`;
  if (focus) {
    // Tell assistive technology where it landed, as a page load would.
    document.getElementById("page-title")?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }
  for (const link of document.querySelectorAll(".site-nav a[data-section]")) {
    const here = main.dataset.view === link.dataset.section;
    if (here) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  page.after?.(); // what needs the page in the document: opening a highlight, say
}

document.getElementById("search-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const q = document.getElementById("search-input").value.trim();
  window.location.hash = `#/search?q=${encodeURIComponent(q)}`;
});

document.getElementById("skip-link").addEventListener("click", (event) => {
  event.preventDefault();
  main.focus();
});

document.getElementById("write-key-slot").replaceWith(writeKeyButton());

window.addEventListener("hashchange", () => render(true));
// After a write (curation.js): the same page drawn again from the API, focus left to the page.
window.addEventListener("explorer:refresh", () => render(false));
render(false);
