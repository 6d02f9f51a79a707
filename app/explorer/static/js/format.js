// Words and dates as the explorer shows them.
import { h } from "./dom.js";

const LANGUAGES = new Intl.DisplayNames(["en"], { type: "language" });

export function languageName(code) {
  try {
    return LANGUAGES.of(code) || code;
  } catch {
    return code;
  }
}

const DAY = new Intl.DateTimeFormat("en-GB", {
  day: "numeric", month: "long", year: "numeric", timeZone: "UTC",
});
const MONTH = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });
const YEAR = new Intl.DateTimeFormat("en-GB", { year: "numeric", timeZone: "UTC" });

/** A day ("2019-04-07") as words ("7 April 2019"). */
export function dayName(day) {
  return day ? DAY.format(parseDay(day)) : null;
}

export function parseDay(day) {
  return day ? new Date(`${day}T00:00:00Z`) : null;
}

/** A fuzzy time as words: "7 April 2019", "February 2019", "24–30 April 2019",
 * "from 4 April 2019", or "time unknown". */
export function fuzzyDate(time) {
  if (!time) return "time unknown";
  const earliest = parseDay(time.earliest);
  const latest = parseDay(time.latest);
  if (!earliest && !latest) return "time unknown";
  if (earliest && !latest) return `from ${DAY.format(earliest)}`;
  if (!earliest && latest) return `by ${DAY.format(latest)}`;
  if (time.precision === "month") return MONTH.format(earliest);
  if (time.precision === "year") return YEAR.format(earliest);
  if (time.earliest === time.latest) return DAY.format(earliest);
  return DAY.formatRange(earliest, latest);
}

export function isDated(time) {
  return Boolean(time && (time.earliest || time.latest));
}

/** The expression as written, in its own language if known ("en février"). */
export function asWritten(time, lang) {
  if (!time?.expression) return null;
  return h("q", { class: "as-written", lang: lang || null }, time.expression);
}

export const CERTAINTY = {
  asserted: { label: "asserted", line: "solid", help: "reported as fact" },
  alleged: { label: "alleged", line: "dashed", help: "reported, not vouched for" },
  hypothetical: { label: "hypothetical", line: "dash-dot", help: "put as a possibility" },
  denied: { label: "denied", line: "solid, red", help: "reported as denied" },
  unknown: { label: "unknown", line: "dotted", help: "certainty not given" },
};

/** Who speaks when no one is named: the source itself, labelled so everywhere. */
export const OWN_VOICE = "the source's own voice";

export const MODES = {
  direct_quote: "direct quote",
  partial_quote: "partial quote",
  paraphrase: "paraphrase",
  own_voice: OWN_VOICE,
};

export function modeName(mode) {
  return MODES[mode] || String(mode || "").replaceAll("_", " ");
}

/** A source title without the editors' parenthetical note. */
export function shortTitle(title) {
  const cut = String(title || "").replace(/\s*\([^()]*\)\s*$/, "");
  return cut || String(title || "");
}

export function plural(count, one, many = `${one}s`) {
  return `${count} ${count === 1 ? one : many}`;
}

export function englishOf(claim) {
  if (claim.language === "en") return null;
  return (claim.translations || []).find((t) => t.language === "en") || null;
}

export function certaintyBadge(certainty) {
  const known = CERTAINTY[certainty] ? certainty : "unknown";
  return h("span", { class: `badge certainty certainty-${known}`, title: CERTAINTY[known].help },
    certainty || "unknown");
}

export function anonymousBadge() {
  return h("span", { class: "badge anonymous" }, "anonymous");
}

export function recordBadges(claim) {
  const badges = [];
  if (claim.independent_origins !== null && claim.independent_origins !== undefined) {
    badges.push(h("span", { class: "badge origins" },
      plural(claim.independent_origins, "independent origin")));
  }
  if (claim.on_record === true) badges.push(h("span", { class: "badge on-record" }, "on the record"));
  if (claim.on_record === false) {
    badges.push(h("span", { class: "badge off-record" }, "anonymous sources only"));
  }
  return badges;
}
