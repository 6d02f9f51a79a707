// Rows on a time axis: each fuzzy time is a bar from its earliest to its
// latest possible day (a single known day is a dot; a range open at one end
// runs dashed to the edge of the axis). Used for an actor's statements and
// for the events of the timeline view; what has no date is listed apart by
// the caller, never placed on the axis.
import { s, textWidth, wrap } from "./dom.js";
import { CERTAINTY, englishOf, fuzzyDate, parseDay } from "./format.js";

const DAY_MS = 86_400_000;
const ROW_H = 34;
const TOP = 44;
// Wide: a label column and the axis. Narrow (a phone): row numbers only,
// the axis at its own size (the list under the chart has the labels).
const WIDE = { width: 1100, label: 360, right: 24, labelChars: 50 };
const NARROW = { width: 360, label: 30, right: 10, labelChars: 0 };

function ticks(start, end, most) {
  // Month ticks, thinned to at most ``most``.
  const out = [];
  const first = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1));
  for (let d = first; d <= end; d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1))) {
    out.push(d);
  }
  const step = Math.max(1, Math.ceil(out.length / most));
  return out.filter((_, i) => i % step === 0);
}

const TICK = new Intl.DateTimeFormat("en-GB", { month: "short", year: "numeric", timeZone: "UTC" });

/**
 * ``rows``: [{key, label, time (a fuzzy time with earliest and/or latest),
 * className?, title?}], in the order drawn. ``title`` and ``description``
 * name the image for assistive technology; the caller lists the same rows as text.
 */
export function timelineChart(rows, { title, description, testid = "timeline", id = "timeline" }) {
  const size = window.matchMedia("(max-width: 600px)").matches ? NARROW : WIDE;
  const { width: WIDTH, label: LABEL_W, right: RIGHT } = size;
  const spans = rows.map((row) => ({
    row, earliest: parseDay(row.time.earliest), latest: parseDay(row.time.latest),
  }));
  const known = spans.flatMap((sp) => [sp.earliest, sp.latest].filter(Boolean)).map((d) => d.getTime());
  let min = Math.min(...known);
  let max = Math.max(...known);
  // At least four months on the axis, the rows centred in it.
  const pad = Math.max(10 * DAY_MS, (max - min) * 0.08, (120 * DAY_MS - (max - min)) / 2);
  min -= pad;
  max += pad;
  const x = (date) => LABEL_W + ((date.getTime() - min) / (max - min)) * (WIDTH - LABEL_W - RIGHT);
  const height = TOP + spans.length * ROW_H + 16;
  const svg = s("svg", {
    class: `timeline${size === NARROW ? " timeline-narrow" : ""}`, role: "img",
    viewBox: `0 0 ${WIDTH} ${height}`, width: WIDTH, height,
    "aria-labelledby": `${id}-title ${id}-desc`, "data-testid": testid,
  },
  s("title", { id: `${id}-title` }, title),
  s("desc", { id: `${id}-desc` }, description));
  const axis = s("g", { class: "axis" });
  axis.append(s("line", { x1: LABEL_W, y1: TOP - 14, x2: WIDTH - RIGHT, y2: TOP - 14, class: "axis-line" }));
  for (const tick of ticks(new Date(min), new Date(max), Math.min(10, Math.floor((WIDTH - LABEL_W) / 72)))) {
    const tx = x(tick);
    if (tx < LABEL_W) continue;
    axis.append(s("line", { x1: tx, y1: TOP - 18, x2: tx, y2: height - 8, class: "grid-line" }));
    if (tx + 64 < WIDTH - RIGHT) axis.append(s("text", { x: tx + 4, y: TOP - 22, class: "tick" }, TICK.format(tick)));
  }
  svg.append(axis);
  spans.forEach(({ row, earliest, latest }, index) => {
    const y = TOP + index * ROW_H;
    const group = s("g", { class: `row ${row.className || ""}`.trim(), "data-key": row.key },
      s("title", null, row.title || `${fuzzyDate(row.time)}: ${row.label}`),
      s("rect", { class: "row-band", x: 0, y, width: WIDTH, height: ROW_H }),
      s("text", { class: "row-label", x: 8, y: y + 21 },
        size.labelChars ? `${index + 1}. ${wrap(row.label, size.labelChars, 1)[0]}` : `${index + 1}.`));
    const start = earliest || new Date(min);
    const end = latest || new Date(max);
    const x1 = x(start);
    const x2 = x(end) + Math.max(2, (DAY_MS / (max - min)) * (WIDTH - LABEL_W - RIGHT));
    if (earliest && latest && end.getTime() - start.getTime() < DAY_MS) {
      group.append(s("circle", { class: "bar-dot", cx: (x1 + x2) / 2, cy: y + ROW_H / 2, r: 6.5 }));
    } else {
      group.append(s("rect", {
        class: `bar${earliest && latest ? "" : " bar-open"}`, x: x1, y: y + 9,
        width: Math.max(8, x2 - x1), height: ROW_H - 18, rx: 4,
        "data-earliest": row.time.earliest || "", "data-latest": row.time.latest || "",
      }));
    }
    // The date beside its bar: right of it, else left of it, else inside it.
    const when = fuzzyDate(row.time);
    const width = textWidth(when, 12.5) + 4;
    let place = { x: x2 + 10, "text-anchor": "start" };
    if (x2 + 10 + width > WIDTH - RIGHT) {
      place = x1 - 10 - width > LABEL_W
        ? { x: x1 - 10, "text-anchor": "end" }
        : { x: x1 + 8, "text-anchor": "start" };
    }
    group.append(s("text", { class: "bar-label", y: y + 21, ...place }, when));
    svg.append(group);
  });
  return svg;
}

/** An actor's dated statements (GET /v1/actors/{id}/statements), in order. */
export function timeline(statements, actorName) {
  const rows = statements.map((item) => {
    const english = englishOf(item.claim);
    const certainty = CERTAINTY[item.certainty] ? item.certainty : "unknown";
    return {
      key: item.claim.id, label: english ? english.text : item.claim.text, time: item.time,
      className: `certainty-${certainty}`, title: `${fuzzyDate(item.time)}: ${item.claim.text}`,
    };
  });
  return timelineChart(rows, {
    title: `Timeline of what ${actorName} said`,
    description: `${rows.length} dated statements; each bar runs from the earliest to the latest `
      + "possible day. The same statements are listed below.",
  });
}
