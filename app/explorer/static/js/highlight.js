// A text with annotated spans (speaker, cue, content) highlighted: the reusable
// part of the source page, and of any page that shows spans over a text
// (proposals of an extraction to review, for one).
//
// Spans are code-point offsets, end exclusive, as the API stores them. Each
// span is drawn as a <mark data-role="speaker|cue|content" data-span="key">:
// nested spans nest their marks, and a mark enclosing others sits lower (its
// underline drawn below theirs), so each level stays visible. Two spans that
// cross (neither inside the other) cannot both be single elements: the later
// one is cut where the earlier ends, its pieces sharing ``data-span``
// (the first has ``data-piece="first"``). So there is one span per distinct
// ``data-span``, and one focusable mark per span.
//
// Long texts are cut into chunks at line breaks (or spaces); a chunk is
// rendered when it comes near the viewport (IntersectionObserver), so the
// work done at first paint does not grow with the length of the text.
import { h } from "./dom.js";
import { selectionSpan } from "./selection.js";

export const ROLES = {
  speaker: { label: "speaker", underline: "solid underline", help: "who said it" },
  cue: { label: "cue", underline: "double underline", help: "the words that report it (said, according to)" },
  content: { label: "content", underline: "dashed underline", help: "what was said" },
};
const ROLE_ORDER = { content: 0, speaker: 1, cue: 2 };
const MAX_LEVELS = 3; // underlines stacked under one piece of text, at most
const CHUNK = 3000; // code points per chunk, about a screen of text

/** Code points of ``text`` as an array (offsets in the API count these, not UTF-16 units). */
export function codePoints(text) {
  return Array.from(text);
}

/** Spans in drawing order: earlier first, longer first at the same start. */
export function sortSpans(spans) {
  return [...spans].sort((a, b) => a.start - b.start || b.end - a.end
    || ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || String(a.key).localeCompare(String(b.key)));
}

/** Chunk bounds [start, end) over ``length`` code points: at most ``size``
 * each, cut after a line break, else after a space, when there is one. */
export function chunkBounds(chars, size = CHUNK) {
  const bounds = [];
  let start = 0;
  while (start < chars.length) {
    let end = Math.min(chars.length, start + size);
    if (end < chars.length) {
      let cut = -1;
      for (let i = end - 1; i > start + size / 2 && cut < 0; i -= 1) if (chars[i] === "\n") cut = i + 1;
      for (let i = end - 1; i > start + size / 2 && cut < 0; i -= 1) if (chars[i] === " ") cut = i + 1;
      if (cut > 0) end = cut;
    }
    bounds.push([start, end]);
    start = end;
  }
  return bounds;
}

/** The pieces of [from, to): each stretch with the spans covering it, in
 * drawing order. ``spans`` are sorted (``sortSpans``). */
export function pieces(spans, from, to) {
  const inside = spans.filter((span) => span.start < to && span.end > from);
  const cuts = new Set([from, to]);
  for (const span of inside) {
    cuts.add(Math.max(from, span.start));
    cuts.add(Math.min(to, span.end));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i + 1 < points.length; i += 1) {
    const [start, end] = [points[i], points[i + 1]];
    out.push({ start, end, spans: inside.filter((span) => span.start <= start && span.end >= end) });
  }
  return out;
}

function markFor(span, continued) {
  const mark = h("mark", {
    class: `hl hl-${span.role}`,
    "data-role": span.role,
    "data-span": span.key,
    "data-group": span.group ?? null,
    "data-piece": continued ? "continued" : "first",
    title: span.title || null,
  });
  if (!continued) mark.tabIndex = -1;
  return mark;
}

/** How many marks nest inside each mark, deepest path: its underline goes below theirs. */
function stackUnderlines(root) {
  const depth = (node) => {
    let below = 0;
    for (const child of node.children) below = Math.max(below, depth(child));
    if (node.tagName === "MARK") {
      node.style.setProperty("--level", String(Math.min(below, MAX_LEVELS)));
      return below + 1;
    }
    return below;
  };
  depth(root);
}

/** The marks and text of [from, to) appended to ``root``. */
export function renderRange(root, chars, spans, from, to) {
  const open = []; // [{span, element}]
  for (const piece of pieces(spans, from, to)) {
    let keep = 0;
    while (keep < open.length && keep < piece.spans.length && open[keep].span === piece.spans[keep]) keep += 1;
    open.length = keep;
    for (const span of piece.spans.slice(keep)) {
      const element = markFor(span, span.start < piece.start);
      (open.length ? open[open.length - 1].element : root).append(element);
      open.push({ span, element });
    }
    const text = chars.slice(piece.start, piece.end).join("");
    (open.length ? open[open.length - 1].element : root).append(text);
  }
  stackUnderlines(root);
}

/**
 * The highlighted text as an element, and the means to move through it.
 *
 * ``spans``: [{key, role, start, end, group?, title?}] (``key`` unique;
 * ``group`` ties the spans of one attribution). ``onOpen(span, covering)`` is
 * called when a mark is clicked, or focused and Enter pressed: ``covering``
 * lists every span at that place, innermost first.
 */
export function highlightedText({ text, spans, lang, label, onOpen, chunkSize = CHUNK }) {
  const chars = codePoints(text);
  const sorted = sortSpans(spans);
  const byKey = new Map(sorted.map((span) => [String(span.key), span]));
  const bounds = chunkBounds(chars, chunkSize);
  const rendered = new Set();
  const chunks = bounds.map(([start, end], index) => h("div", {
    class: "hl-chunk", "data-chunk": index, "data-start": start, "data-end": end,
    style: `--chars: ${end - start}`, // its height until drawn: see .hl-chunk in the CSS
  }));
  const body = h("div", {
    class: "hl-text", lang: lang || null, role: "region", "aria-label": label,
    "aria-describedby": "hl-keys",
  }, chunks);
  let current = sorted[0] || null; // the span whose mark takes Tab (roving tabindex)

  function draw(index) {
    if (rendered.has(index)) return;
    rendered.add(index);
    const chunk = chunks[index];
    const [start, end] = bounds[index];
    renderRange(chunk, chars, sorted, start, end);
    chunk.dataset.rendered = "true";
    if (current) markOf(current, false)?.setAttribute("tabindex", "0");
  }

  function chunkOf(offset) {
    let low = 0;
    let high = bounds.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (bounds[middle][0] <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  function markOf(span, drawIt = true) {
    if (drawIt) draw(chunkOf(span.start));
    return body.querySelector(`mark[data-span="${CSS.escape(String(span.key))}"][data-piece="first"]`);
  }

  function focusSpan(span) {
    if (!span) return;
    if (current) markOf(current, false)?.setAttribute("tabindex", "-1");
    current = span;
    const mark = markOf(span);
    mark.setAttribute("tabindex", "0");
    mark.focus();
  }

  function covering(mark) {
    const out = [];
    for (let node = mark; node && node !== body; node = node.parentElement) {
      if (node.tagName === "MARK") out.push(byKey.get(node.dataset.span));
    }
    return out;
  }

  function open(mark) {
    const span = byKey.get(mark.dataset.span);
    if (span.key !== current?.key && mark.dataset.piece === "first") {
      if (current) markOf(current, false)?.setAttribute("tabindex", "-1");
      current = span;
      mark.setAttribute("tabindex", "0");
    }
    onOpen?.(span, covering(mark));
  }

  body.addEventListener("click", (event) => {
    const mark = event.target.closest?.("mark.hl");
    if (mark && body.contains(mark)) open(mark);
  });
  body.addEventListener("keydown", (event) => {
    const mark = event.target.closest?.("mark.hl");
    // With a modifier the keys are the browser's: Shift+arrows extend a text selection.
    if (!mark || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
    const at = sorted.indexOf(byKey.get(mark.dataset.span));
    const moves = {
      ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1,
      Home: 0, End: sorted.length - 1,
    };
    if (event.key in moves) {
      event.preventDefault();
      focusSpan(sorted[Math.max(0, Math.min(sorted.length - 1, moves[event.key]))]);
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      open(mark);
    }
  });

  // Chunks near the viewport are drawn; the first at once, so the page
  // shows text (and a mark to Tab to) before any scrolling.
  draw(0);
  if (sorted.length) draw(chunkOf(sorted[0].start));
  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (entry.isIntersecting) {
        draw(Number(entry.target.dataset.chunk));
        observer.unobserve(entry.target);
      }
    }
  }, { rootMargin: "1200px 0px" });
  chunks.forEach((chunk, index) => {
    if (!rendered.has(index)) observer.observe(chunk);
  });

  return {
    element: body,
    focusSpan: (key) => focusSpan(byKey.get(String(key))),
    currentKey: () => current?.key ?? null,
    /** The (first) mark of a span, its chunk drawn if it was not. */
    mark: (key) => markOf(byKey.get(String(key))),
    /** Draw every chunk (tests, printing). */
    drawAll: () => chunks.forEach((_, index) => draw(index)),
    /** The reader's selection in this text as a span {start, end, text} in code points, or null
     * (selection.js: snapped to whole characters, white space trimmed unless ``trim: false``). */
    selectionSpan: (options) => selectionSpan(body, chars, options),
    spans: sorted,
  };
}

/** The key to the colours and underlines, and how to move with the keyboard. */
export function highlightLegend() {
  return h("div", { class: "hl-legend" },
    h("ul", { class: "hl-key", "aria-label": "Highlight colours" },
      Object.entries(ROLES).map(([role, info]) => h("li", null,
        h("mark", { class: `hl hl-${role} hl-sample`, "aria-hidden": "true" }, info.label),
        h("span", null, ` ${info.help} (${info.underline})`)))),
    h("p", { id: "hl-keys", class: "muted hl-help" },
      "Click a highlight, or Tab to the text and move with the arrow keys, then press Enter, "
      + "to open its attribution."));
}
