// An actor's statements on a time axis: each fuzzy time is a bar from its
// earliest to its latest possible day (a single known day is a dot).
import { s, textWidth, wrap } from "./dom.js";
import { CERTAINTY, englishOf, fuzzyDate, parseDay } from "./format.js";

const DAY_MS = 86_400_000;
const LABEL_W = 360;
const ROW_H = 34;
const TOP = 44;
const WIDTH = 1100;
const RIGHT = 24;

function ticks(start, end) {
  // Month ticks, thinned to at most ~10.
  const out = [];
  const first = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1));
  for (let d = first; d <= end; d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1))) {
    out.push(d);
  }
  const step = Math.max(1, Math.ceil(out.length / 10));
  return out.filter((_, i) => i % step === 0);
}

const TICK = new Intl.DateTimeFormat("en-GB", { month: "short", year: "numeric", timeZone: "UTC" });

/** ``statements`` are dated items of GET /v1/actors/{id}/statements, in order. */
export function timeline(statements, actorName) {
  const spans = statements.map((item) => {
    const earliest = parseDay(item.time.earliest);
    const latest = parseDay(item.time.latest);
    return { item, earliest, latest };
  });
  const known = spans.flatMap((sp) => [sp.earliest, sp.latest].filter(Boolean)).map((d) => d.getTime());
  let min = Math.min(...known);
  let max = Math.max(...known);
  // At least four months on the axis, the statements centred in it.
  const pad = Math.max(10 * DAY_MS, (max - min) * 0.08, (120 * DAY_MS - (max - min)) / 2);
  min -= pad;
  max += pad;
  const x = (date) => LABEL_W + ((date.getTime() - min) / (max - min)) * (WIDTH - LABEL_W - RIGHT);
  const height = TOP + spans.length * ROW_H + 16;
  const svg = s("svg", {
    class: "timeline", role: "img", viewBox: `0 0 ${WIDTH} ${height}`, width: WIDTH, height,
    "aria-labelledby": "timeline-title timeline-desc", "data-testid": "timeline",
  },
  s("title", { id: "timeline-title" }, `Timeline of what ${actorName} said`),
  s("desc", { id: "timeline-desc" },
    `${spans.length} dated statements; each bar runs from the earliest to the latest possible day. `
    + "The same statements are listed below."));
  const axis = s("g", { class: "axis" });
  axis.append(s("line", { x1: LABEL_W, y1: TOP - 14, x2: WIDTH - RIGHT, y2: TOP - 14, class: "axis-line" }));
  for (const tick of ticks(new Date(min), new Date(max))) {
    const tx = x(tick);
    if (tx < LABEL_W) continue;
    axis.append(s("line", { x1: tx, y1: TOP - 18, x2: tx, y2: height - 8, class: "grid-line" }));
    if (tx + 64 < WIDTH) axis.append(s("text", { x: tx + 4, y: TOP - 22, class: "tick" }, TICK.format(tick)));
  }
  svg.append(axis);
  spans.forEach(({ item, earliest, latest }, index) => {
    const y = TOP + index * ROW_H;
    const certainty = CERTAINTY[item.certainty] ? item.certainty : "unknown";
    const english = englishOf(item.claim);
    const label = wrap(english ? english.text : item.claim.text, 50, 1)[0];
    const row = s("g", { class: `row certainty-${certainty}`, "data-claim": item.claim.id },
      s("title", null, `${fuzzyDate(item.time)}: ${item.claim.text}`),
      s("rect", { class: "row-band", x: 0, y, width: WIDTH, height: ROW_H }),
      s("text", { class: "row-label", x: 8, y: y + 21 }, `${index + 1}. ${label}`));
    const start = earliest || new Date(min);
    const end = latest || new Date(max);
    const x1 = x(start);
    const x2 = x(end) + Math.max(2, (DAY_MS / (max - min)) * (WIDTH - LABEL_W - RIGHT));
    if (earliest && latest && end.getTime() - start.getTime() < DAY_MS) {
      row.append(s("circle", { class: "bar-dot", cx: (x1 + x2) / 2, cy: y + ROW_H / 2, r: 6.5 }));
    } else {
      row.append(s("rect", {
        class: `bar${earliest && latest ? "" : " bar-open"}`, x: x1, y: y + 9,
        width: Math.max(8, x2 - x1), height: ROW_H - 18, rx: 4,
      }));
    }
    // The date beside its bar: right of it, else left of it, else inside it.
    const when = fuzzyDate(item.time);
    const width = textWidth(when, 12.5) + 4;
    let place = { x: x2 + 10, "text-anchor": "start" };
    if (x2 + 10 + width > WIDTH - RIGHT) {
      place = x1 - 10 - width > LABEL_W
        ? { x: x1 - 10, "text-anchor": "end" }
        : { x: x1 + 8, "text-anchor": "start" };
    }
    row.append(s("text", { class: "bar-label", y: y + 21, ...place }, when));
    svg.append(row);
  });
  return svg;
}
