"""A text selection inside a highlighted text, as a span of the API: code
points from the start of the text (as Python counts them), never UTF-16
units, whole characters (an emoji with its skin tone, a flag, a letter with
its combining accent), whatever the marks and chunks the text is drawn in,
and whether the reader selects with the mouse, the keyboard or a script
(selection.js, used through ``highlightedText(...).selectionSpan()``)."""

from typing import Any

import pytest

from tests.browser.conftest import LiveServer, Offline, assert_public_api_only, open_view

pytestmark = pytest.mark.slow  # a live server and a browser

THUMB = "\U0001f44d\U0001f3fd"  # thumbs up, medium skin tone: 2 code points, 4 UTF-16 units
FLAG = "\U0001f1eb\U0001f1f7"  # regional indicators F, R: 2 code points, one character
ETE = "e\u0301te\u0301"  # "été" with combining accents: 5 code points, 3 characters
TEXT = (
    f"Il a dit {THUMB} « oui »,\n"
    f"puis : « l’{ETE} {FLAG} sera chaud » — fin.\n"
    "Rien d’autre 😀 ce jour-là."
)
INSIDE = {  # code-point offsets that fall inside one character
    TEXT.index(THUMB) + 1,
    TEXT.index(FLAG) + 1,
    TEXT.index(ETE) + 1,
    TEXT.index(ETE) + 4,
}
BOUNDARIES = [i for i in range(len(TEXT) + 1) if i not in INSIDE]


def spans() -> list[dict[str, Any]]:
    """Marks over the text, nested and crossing, so boundaries fall inside marks."""

    def at(words: str, role: str, key: str) -> dict[str, Any]:
        start = TEXT.index(words)
        return {"key": key, "role": role, "start": start, "end": start + len(words)}

    return [
        at("Il", "speaker", "s1"),
        at("a dit", "cue", "c1"),
        at(f"{THUMB} « oui »", "content", "t1"),
        at(f"« l’{ETE} {FLAG} sera chaud »", "content", "t2"),
        at(f"{ETE} {FLAG}", "speaker", "s2"),  # nested in t2
        at(f"{FLAG} sera chaud » — fin", "cue", "c2"),  # crosses t2's end
    ]


MOUNT = """async ({text, spans, chunkSize}) => {
  const { highlightedText } = await import('/explore/static/js/highlight.js');
  const main = document.getElementById('main');
  main.dataset.view = 'selection-test';
  const hl = highlightedText({
    text, spans, lang: 'fr', label: 'Test text', onOpen: () => {}, chunkSize,
  });
  hl.element.id = 'selection-test';
  main.replaceChildren(hl.element);
  hl.drawAll();
  window.hl = hl;
  return hl.element.querySelectorAll('.hl-chunk').length;
}"""

# The DOM position of a code-point offset, found independently of selection.js:
# walk the text nodes of the chunk that holds it, counting code points.
LOCATE = """() => {
window.locate = (root, offset) => {
  const chunk = [...root.querySelectorAll('.hl-chunk')].find(
    (c) => Number(c.dataset.start) <= offset && offset <= Number(c.dataset.end));
  let left = offset - Number(chunk.dataset.start);
  const walker = document.createTreeWalker(chunk, NodeFilter.SHOW_TEXT);
  let node = walker.nextNode();
  while (node) {
    const points = Array.from(node.data);
    if (left <= points.length) return [node, points.slice(0, left).join('').length];
    left -= points.length;
    node = walker.nextNode();
  }
  return [chunk, chunk.childNodes.length];
};
window.selectRange = (startNode, startOffset, endNode, endOffset) => {
  const range = document.createRange();
  range.setStart(startNode, startOffset);
  range.setEnd(endNode, endOffset);
  const selection = getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
};
}"""


def mount(page: Any, text: str = TEXT, chunk_size: int = 24) -> int:
    open_view(page, "/events", "[data-testid=events-timeline]")
    page.evaluate(LOCATE)
    chunks: int = page.evaluate(
        MOUNT, {"text": text, "spans": spans() if text == TEXT else [], "chunkSize": chunk_size}
    )
    return chunks


def selected(page: Any, trim: bool = True) -> Any:
    return page.evaluate("(trim) => window.hl.selectionSpan({ trim })", trim)


def test_every_selection_of_whole_characters_is_its_code_points(page: Any) -> None:
    chunks = mount(page)
    assert chunks >= 3  # boundaries in several chunks, inside nested and crossing marks
    pairs = [(s, e) for s in BOUNDARIES for e in BOUNDARIES if s < e]
    found = page.evaluate(
        """(pairs) => {
          const root = document.getElementById('selection-test');
          return pairs.map(([s, e]) => {
            selectRange(...locate(root, s), ...locate(root, e));
            return window.hl.selectionSpan({ trim: false });
          });
        }""",
        pairs,
    )
    wrong = [
        (s, e, got)
        for (s, e), got in zip(pairs, found, strict=True)
        if got != {"start": s, "end": e, "text": TEXT[s:e]}
    ]
    assert not wrong, wrong[:5]
    assert len(pairs) > 3000


def test_a_boundary_inside_a_character_takes_the_whole_character(page: Any) -> None:
    mount(page)
    thumb, flag, ete = TEXT.index(THUMB), TEXT.index(FLAG), TEXT.index(ETE)
    # In UTF-16 units inside one text node: between the surrogates of 👍, between
    # 👍 and its skin tone, between the flag's two letters, between e and its accent.
    cases = [
        # (text before the start, units into it), (text before the end, units into it) -> span
        ((THUMB, 1), (THUMB, 3), (thumb, thumb + 2)),  # inside 👍, inside 🏽
        ((THUMB, 2), ("« oui", 5), (thumb, TEXT.index(" »"))),  # between 👍 and 🏽
        ((FLAG, 2), (FLAG, 3), (flag, flag + 2)),  # between F and R, inside R
        ((ETE, 1), (ETE, 4), (ete, ete + 5)),  # between e and ◌́, twice
    ]
    for (start_words, start_units), (end_words, end_units), expected in cases:
        got = page.evaluate(
            """([startWords, startUnits, endWords, endUnits]) => {
              const root = document.getElementById('selection-test');
              const nodeWith = (words) => {
                const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                  const at = node.data.indexOf(words);
                  if (at >= 0) return [node, at];
                }
                throw new Error(`no text node holds ${words}`);
              };
              const [startNode, startAt] = nodeWith(startWords);
              const [endNode, endAt] = nodeWith(endWords);
              selectRange(startNode, startAt + startUnits, endNode, endAt + endUnits);
              return window.hl.selectionSpan({ trim: false });
            }""",
            [start_words, start_units, end_words, end_units],
        )
        start, end = expected
        assert got == {"start": start, "end": end, "text": TEXT[start:end]}, (start_words, got)


def test_a_selection_running_out_of_the_text_is_cut_at_its_edges_and_trimmed(
    page: Any,
) -> None:
    mount(page)
    whole = page.evaluate(
        """() => {
          const root = document.getElementById('selection-test');
          const header = document.querySelector('.site-header');
          const footer = document.querySelector('.site-footer');
          selectRange(header, 0, footer, 0);
          const all = window.hl.selectionSpan({ trim: false });
          selectRange(header, 0, ...locate(root, 2));
          const head = window.hl.selectionSpan();
          selectRange(...locate(root, 3), ...locate(root, 9));  // "a dit " and its space
          const trimmed = window.hl.selectionSpan();
          selectRange(header, 0, document.querySelector('.site-nav'), 0);
          const outside = window.hl.selectionSpan();
          getSelection().removeAllRanges();
          return [all, head, trimmed, outside, window.hl.selectionSpan()];
        }"""
    )
    assert whole[0] == {"start": 0, "end": len(TEXT), "text": TEXT}
    assert whole[1] == {"start": 0, "end": 2, "text": "Il"}
    assert whole[2] == {"start": 3, "end": 8, "text": "a dit"}
    assert whole[3] is None  # wholly outside the text
    assert whole[4] is None  # nothing selected


def test_chunks_not_drawn_between_the_ends_do_not_count(page: Any) -> None:
    line = f"Ligne {{:05d}} : il a dit {THUMB} « l’{ETE} » {FLAG}.\n"
    text = "".join(line.format(n) for n in range(600))  # ~24,000 code points, 9 chunks
    chunks = mount(page, text, chunk_size=3000)
    assert chunks >= 8
    start = text.index("Ligne 00003")
    end = text.index("Ligne 00590") + len("Ligne 00590")
    got = page.evaluate(
        """([text, start, end]) => {
          // Only the first and last chunks drawn; a text drawn from scratch, not by drawAll.
          const root = document.getElementById('selection-test');
          const chunks = [...root.querySelectorAll('.hl-chunk')];
          const startsAt = (offset) => chunks.find((c) => Number(c.dataset.start) <= offset
            && offset < Number(c.dataset.end));
          const [first, last] = [startsAt(start), startsAt(end)];
          for (const chunk of chunks) {
            if (chunk !== first && chunk !== last) {
              chunk.replaceChildren();
              delete chunk.dataset.rendered;
            }
          }
          selectRange(...locate(root, start), ...locate(root, end));
          return [window.hl.selectionSpan(), chunks.filter((c) => c.dataset.rendered).length];
        }""",
        [text, start, end],
    )
    span, drawn = got
    assert drawn == 2
    assert span == {"start": start, "end": end, "text": text[start:end]}


def test_the_reader_selects_with_the_mouse_and_the_keyboard(page: Any) -> None:
    mount(page, chunk_size=3000)
    # Double-click a word.
    x, y = page.evaluate(
        """(offset) => {
          const root = document.getElementById('selection-test');
          const [node, at] = locate(root, offset);
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + 1);
          const box = range.getBoundingClientRect();
          return [box.x + box.width / 2, box.y + box.height / 2];
        }""",
        TEXT.index("chaud") + 2,
    )
    page.mouse.dblclick(x, y)
    chaud = TEXT.index("chaud")
    assert selected(page) == {"start": chaud, "end": chaud + 5, "text": "chaud"}

    # Drag from before "oui" to after the flag (across lines, marks and a line break).
    def point(offset: int, length: int, side: str) -> tuple[float, float]:
        """Just inside the left or right edge of the ``length`` code points at ``offset``."""
        left, right, middle = page.evaluate(
            """([offset, length]) => {
              const root = document.getElementById('selection-test');
              const range = document.createRange();
              range.setStart(...locate(root, offset));
              range.setEnd(...locate(root, offset + length));
              const r = range.getBoundingClientRect();
              return [r.left, r.right, r.top + r.height / 2];
            }""",
            [offset, length],
        )
        return (left + 1 if side == "left" else right - 1), middle

    oui, flag = TEXT.index("oui"), TEXT.index(FLAG)
    page.mouse.move(*point(oui, 1, "left"))
    page.mouse.down()
    page.mouse.move(*point(flag, 2, "right"), steps=8)
    page.mouse.up()
    span = selected(page, trim=False)
    assert (span["start"], span["end"]) == (oui, flag + 2), span
    assert span["text"] == TEXT[oui : flag + 2]

    # Shift+Arrow extends a selection by whole characters; the span counts their code points.
    ete = TEXT.index(ETE)
    page.evaluate(
        """([start, end]) => {
          // Chromium extends by keyboard a selection inside the focused element: the
          // reader has clicked into the quote (its mark, which arrow keys alone move from).
          document.querySelector('mark[data-span="t2"]').focus();
          const root = document.getElementById('selection-test');
          selectRange(...locate(root, start), ...locate(root, end));
        }""",
        [ete - 2, ete],  # "l’"
    )
    page.keyboard.press("Shift+ArrowRight")
    assert selected(page) == {"start": ete - 2, "end": ete + 2, "text": "l’e\u0301"}
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    assert selected(page, trim=False) == {
        "start": ete - 2,
        "end": ete + 6 + 2,
        "text": f"l’{ETE} {FLAG}",
    }
    focused = page.evaluate("() => document.activeElement.dataset.span")
    assert focused == "t2"  # Shift+arrows left the highlights' own arrow keys alone


def test_a_mark_of_the_founding_article_selected_is_its_span_in_the_api(
    page: Any, live_server: LiveServer, offline: Offline
) -> None:
    article = live_server.api("/v1/search", q="feu vert", types="source")["results"][0]["id"]
    open_view(page, f"/sources/{article}", "[data-testid=source-text] mark.hl")
    spans = [
        s
        for a in live_server.api("/v1/attributions", source_id=article, limit=200)["items"]
        for s in a["spans"]
    ]
    full_text = live_server.api(f"/v1/sources/{article}")["full_text"]
    got = page.evaluate(
        """async (text) => {
          const { selectionSpan } = await import('/explore/static/js/selection.js');
          const root = document.querySelector('[data-testid=source-text]');
          const out = [];
          for (const mark of root.querySelectorAll('mark.hl[data-piece=first]')) {
            const key = mark.dataset.span;
            if (root.querySelector(`mark[data-span="${key}"][data-piece=continued]`)) continue;
            const range = document.createRange();
            range.selectNodeContents(mark);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
            out.push(selectionSpan(root, Array.from(text), { trim: false }));
          }
          return out;
        }""",
        full_text,
    )
    assert len(got) >= 10
    stored = {(s["start"], s["end"], s["text"]) for s in spans}
    assert {(g["start"], g["end"], g["text"]) for g in got} <= stored
    assert_public_api_only(offline)
