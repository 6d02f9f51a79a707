// The timeline across events: every dated event as a bar over its possible
// days (a month is a month-long bar, "from 4 April" runs open to the edge);
// events placed only by their relation to another, and events of unknown
// time, are listed apart, never drawn on the axis.
import { get } from "./api.js";
import { h, section } from "./dom.js";
import { asWritten, fuzzyDate, plural } from "./format.js";
import { timelineChart } from "./timeline.js";

const RELATIONS = { before: "before", after: "after", during: "during", same_time: "at the same time as" };

/** The days an event may have happened: its stored range, else one derived from its anchor. */
function daysOf(event) {
  if (event.resolved && (event.resolved.earliest || event.resolved.latest)) {
    return { ...event.time, earliest: event.resolved.earliest, latest: event.resolved.latest };
  }
  return null;
}

function eventEntry(event, index, titles) {
  const days = daysOf(event);
  const placed = event.placed
    ? `${RELATIONS[event.placed.relation] || event.placed.relation} “${titles.get(event.placed.event_id) || "another event"}”`
    : null;
  return h("li", { class: "statement event", "data-event": event.id },
    h("p", { class: "when" },
      index === null ? null : [h("span", { class: "row-number" }, `${index + 1}.`), " "],
      h("strong", null, days ? fuzzyDate(days) : placed ? `placed ${placed}` : "time unknown"),
      " ", asWritten(event.time, null),
      event.resolved?.derived ? h("span", { class: "muted" }, " (worked out from what it is relative to)") : null),
    h("p", { class: "event-title" }, event.title, event.place ? h("span", { class: "muted" }, ` · ${event.place}`) : null),
    event.participants.length ? h("p", { class: "meta" }, "With ",
      event.participants.map((p, i) => [i ? ", " : "", h("a", { href: `#/actors/${p.actor_id}` }, p.name),
        p.role && p.role !== "participant" ? h("span", { class: "muted" }, ` (${p.role})`) : null])) : null,
    event.claims.length ? h("ul", { class: "event-claims" }, event.claims.map((claim) => h("li", null,
      h("a", { href: `#/claims/${claim.id}`, lang: claim.language }, claim.text),
      claim.english ? h("span", { class: "claim-english", lang: "en" }, ` — ${claim.english}`) : null))) : null);
}

export async function events() {
  const found = await get("/events/timeline", { limit: 1000 });
  const titles = new Map(found.items.map((event) => [event.id, event.title]));
  const dated = found.items.filter((event) => daysOf(event));
  const placed = found.items.filter((event) => !daysOf(event) && event.placement === "relation");
  const unknown = found.items.filter((event) => !daysOf(event) && event.placement !== "relation");
  const rows = dated.map((event) => ({
    key: event.id, label: event.title, time: daysOf(event),
    className: daysOf(event).earliest && daysOf(event).latest ? "" : "open-range",
  }));
  const content = [
    h("h1", { id: "page-title", tabindex: "-1" }, "Timeline of events"),
    h("p", { class: "lead" }, "Events in time order, each over the days it may have happened: a bar runs from "
      + "the earliest to the latest possible day, a dot is a known day, a dashed bar is open at one end. "
      + "What has no date is listed apart, never guessed."),
    section("Dated events", "dated-heading",
      dated.length ? [
        h("div", { class: "graph-scroll", tabindex: "0", role: "region", "aria-label": "Events timeline, scrollable" },
          timelineChart(rows, {
            title: "Timeline of events", id: "events-timeline", testid: "events-timeline",
            description: `${plural(dated.length, "dated event")}; each bar runs from the earliest to the latest `
              + "possible day. The same events are listed below.",
          })),
        h("ol", { class: "statements", "data-testid": "events-dated" },
          dated.map((event, index) => eventEntry(event, index, titles))),
      ] : h("p", { class: "muted" }, "No dated event.")),
    placed.length ? section(`Placed only by another event (${placed.length})`, "placed-heading",
      h("p", { class: "muted" }, "No date, but the record says when it happened relative to another event."),
      h("ul", { class: "statements", "data-testid": "events-placed" },
        placed.map((event) => eventEntry(event, null, titles)))) : null,
    unknown.length ? section(`Time unknown (${unknown.length})`, "unknown-heading",
      h("ul", { class: "statements", "data-testid": "events-undated" },
        unknown.map((event) => eventEntry(event, null, titles)))) : null,
    found.truncated ? h("p", { class: "muted" }, "Only the first 1000 events are shown.") : null,
  ];
  return { title: "Timeline of events", content };
}
