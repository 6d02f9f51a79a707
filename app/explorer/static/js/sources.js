// The sources view: every source by publisher (or by month of publication),
// each with its kind, date and how many claims and attributions it records.
import { all } from "./api.js";
import { h, section } from "./dom.js";
import { fuzzyDate, isDated, plural, shortTitle } from "./format.js";

const MAX_SOURCES = 5000;
const MONTH = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });
const NO_PUBLISHER = "No publisher recorded";
const UNDATED = "Date unknown";

function byDate(a, b) {
  // Dated first, earliest first; undated after, by title.
  const ka = a.published.earliest || a.published.latest;
  const kb = b.published.earliest || b.published.latest;
  if (ka && kb && ka !== kb) return ka < kb ? -1 : 1;
  if (Boolean(ka) !== Boolean(kb)) return ka ? -1 : 1;
  return a.title.localeCompare(b.title);
}

function sourceRow(doc) {
  const counts = doc.counts || { claims: 0, attributions: 0 };
  return h("li", { class: "source-row", "data-source": doc.id },
    h("p", { class: "source-title" }, h("a", { href: `#/sources/${doc.id}`, title: doc.title }, shortTitle(doc.title))),
    h("p", { class: "source-meta" },
      h("span", { class: "kind-label" }, doc.kind.replaceAll("_", " ")),
      " · ", h("span", { class: "source-date" }, isDated(doc.published) ? fuzzyDate(doc.published) : "date unknown"),
      doc.publisher ? [" · ", doc.publisher.name] : null,
      " · ", h("span", { class: "source-counts", "data-claims": counts.claims, "data-attributions": counts.attributions },
        `${plural(counts.claims, "claim")}, ${plural(counts.attributions, "attribution")}`)));
}

function groups(sources, by) {
  const grouped = new Map();
  for (const doc of [...sources].sort(byDate)) {
    let name;
    if (by === "date") {
      const day = doc.published.earliest || doc.published.latest;
      name = day ? MONTH.format(new Date(`${day}T00:00:00Z`)) : UNDATED;
    } else {
      name = doc.publisher?.name || NO_PUBLISHER;
    }
    if (!grouped.has(name)) grouped.set(name, []);
    grouped.get(name).push(doc);
  }
  const names = [...grouped.keys()];
  if (by !== "date") {
    names.sort((a, b) => (a === NO_PUBLISHER) - (b === NO_PUBLISHER) || a.localeCompare(b));
  } else {
    names.sort((a, b) => (a === UNDATED) - (b === UNDATED));
  }
  return names.map((name) => [name, grouped.get(name)]);
}

function switcher(by) {
  const option = (value, label) => h("a", {
    href: `#/sources?by=${value}`, class: "switch", "aria-current": by === value ? "page" : null,
  }, label);
  return h("nav", { class: "switcher", "aria-label": "Group sources" },
    h("span", { class: "muted" }, "Group by "), option("publisher", "publisher"), option("date", "month published"));
}

export async function sources(query) {
  const by = query.get("by") === "date" ? "date" : "publisher";
  const found = await all("/sources", { expand: "publisher,counts" }, MAX_SOURCES);
  const grouped = groups(found, by);
  const attributions = found.reduce((sum, doc) => sum + (doc.counts?.attributions || 0), 0);
  const publishers = new Set(found.map((doc) => doc.publisher?.id).filter(Boolean)).size;
  const content = [
    h("h1", { id: "page-title", tabindex: "-1" }, "Sources"),
    h("p", { class: "lead", "data-testid": "sources-summary" },
      `${plural(found.length, "source")} from ${plural(publishers, "publisher")}, recording `
      + `${plural(attributions, "attribution")}: each with its kind, date, and the claims and `
      + "attributions it records.",
      found.length >= MAX_SOURCES ? ` Only the first ${MAX_SOURCES} are shown.` : ""),
    switcher(by),
    grouped.map(([name, docs], index) => section(`${name} (${docs.length})`, `group-${index}`,
      h("ul", { class: "source-list", "data-testid": "source-group", "data-group": name }, docs.map(sourceRow)))),
  ];
  return { title: "Sources", content };
}
