// Building DOM without innerHTML: every string from the API becomes a text node.

const SVG_NS = "http://www.w3.org/2000/svg";

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function setAttributes(node, attrs) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      node.addEventListener(name.slice(2), value);
    } else if (name === "dataset") {
      Object.assign(node.dataset, value);
    } else {
      node.setAttribute(name, value === true ? "" : String(value));
    }
  }
  return node;
}

/** An HTML element: h("a", {href: "#/"}, "text", child, [more]). */
export function h(tag, attrs, ...children) {
  return append(setAttributes(document.createElement(tag), attrs), children);
}

/** An SVG element, same calling convention. */
export function s(tag, attrs, ...children) {
  return append(setAttributes(document.createElementNS(SVG_NS, tag), attrs), children);
}

/** A search snippet: HTML-escaped text whose only markup is <mark>. Anything
 * else the parser finds is kept as text, never as markup. */
export function snippet(html) {
  const parsed = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
  const out = h("span", { class: "snippet" });
  for (const node of parsed.body.childNodes) {
    if (node.nodeType === Node.ELEMENT_NODE && node.nodeName === "MARK") {
      out.append(h("mark", null, node.textContent));
    } else {
      out.append(document.createTextNode(node.textContent));
    }
  }
  return out;
}

/** Cut ``text`` into at most ``lines`` lines of about ``width`` characters. */
export function wrap(text, width, lines) {
  const words = String(text).split(/\s+/).filter(Boolean);
  const out = [];
  let line = "";
  for (const word of words) {
    if (line && (line + " " + word).length > width) {
      out.push(line);
      line = word;
      if (out.length === lines) break;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (out.length < lines && line) out.push(line);
  const shown = out.join(" ").length;
  if (shown < String(text).trim().length) {
    let last = out[out.length - 1] || "";
    if (last.length > width - 1) last = last.slice(0, width - 1);
    out[out.length - 1] = `${last.replace(/[\s,;:.]+$/, "")}…`;
  }
  return out;
}

/** Roughly how wide ``text`` is in an SVG at ``size`` px (no layout needed). */
export function textWidth(text, size) {
  return String(text).length * size * 0.56;
}

/** A page's panel: a section named by its heading. */
export function section(title, id, ...children) {
  return h("section", { class: "panel", "aria-labelledby": id },
    h("h2", { id }, title), ...children);
}
