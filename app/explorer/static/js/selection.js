// A text selection inside a highlighted text (highlight.js) as a span of the
// API: code-point offsets into the whole text, end exclusive. The DOM counts
// UTF-16 units inside one text node; the API counts code points from the
// start of the source: an emoji is one code point (two units), and "é"
// written e + U+0301 is two code points that read as one character.
//
// Each chunk of a highlighted text carries ``data-start`` (its first code
// point), so a boundary's offset is its chunk's start plus the code points
// before it in that chunk: chunks not drawn yet do not matter. Boundaries
// snap outward to whole characters (grapheme clusters), so a span never cuts
// an emoji in two or a letter from its accent.

const SEGMENTER = typeof Intl.Segmenter === "function"
  ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;

/** Where a DOM boundary (``node``, ``offset``) lies: before (-1), inside (0) or after (1) ``root``. */
function placeOf(root, node, offset) {
  const range = document.createRange();
  range.selectNodeContents(root);
  return range.comparePoint(node, offset);
}

/** The UTF-16 offset ``units`` into ``text`` moved to a character boundary: back
 * for a span's start, forward for its end. */
function snapToCharacter(text, units, forward) {
  if (units <= 0 || units >= text.length) return Math.max(0, Math.min(units, text.length));
  if (SEGMENTER) {
    for (const { index, segment } of SEGMENTER.segment(text)) {
      const end = index + segment.length;
      if (index === units || end === units) return units;
      if (index < units && units < end) return forward ? end : index;
    }
    return units;
  }
  // Without Intl.Segmenter, at least never cut a surrogate pair.
  const low = text.charCodeAt(units);
  return low >= 0xdc00 && low <= 0xdfff ? units + (forward ? 1 : -1) : units;
}

/**
 * The code-point offset of the DOM boundary (``node``, ``offset``) inside the
 * highlighted text ``root`` (``forward``: snap to the end of the character it
 * falls in, else to its start). ``length``: code points in the whole text.
 */
export function codePointOffset(root, node, offset, { forward = false, length } = {}) {
  const place = placeOf(root, node, offset);
  if (place < 0) return 0;
  if (place > 0) return length;
  const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  const chunk = element?.closest("[data-start]");
  if (!chunk || !root.contains(chunk)) {
    // Between chunks: the first chunk at or after the boundary starts here.
    const next = [...root.querySelectorAll("[data-start]")].find((candidate) => placeOf(candidate, node, offset) < 0);
    return next ? Number(next.dataset.start) : length;
  }
  const before = document.createRange();
  before.setStart(chunk, 0);
  before.setEnd(node, offset);
  const units = before.toString().length;
  const text = chunk.textContent;
  const snapped = snapToCharacter(text, units, forward);
  return Number(chunk.dataset.start) + Array.from(text.slice(0, snapped)).length;
}

/**
 * The span a reader selected inside the highlighted text ``root``:
 * ``{start, end, text}`` in code points of ``chars`` (the whole text as an
 * array of code points, as highlightedText holds it), or null when nothing of
 * the text is selected. A selection running out of the text is cut at its
 * edges; ``trim`` (default) leaves out white space at either end.
 */
export function selectionSpan(root, chars, { selection = window.getSelection(), trim = true } = {}) {
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!range.intersectsNode(root)) return null;
  const length = chars.length;
  let start = codePointOffset(root, range.startContainer, range.startOffset, { length });
  let end = codePointOffset(root, range.endContainer, range.endOffset, { forward: true, length });
  if (trim) {
    while (start < end && /\s/u.test(chars[start])) start += 1;
    while (end > start && /\s/u.test(chars[end - 1])) end -= 1;
  }
  if (end <= start) return null;
  return { start, end, text: chars.slice(start, end).join("") };
}
