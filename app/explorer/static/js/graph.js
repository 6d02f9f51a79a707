// A claim's provenance as a graph: who said it, through whom, in which documents.
//
// Each chain of GET /v1/claims/{id}/provenance runs from a recording document
// (hop 0) back to the original speaker (the last hop). Drawn left to right,
// origin first: the original speaker, then each document (or, for nesting
// inside one document, the speaker who relays) that passes it on. Every edge
// carries the certainty of the hop it arrives at. Chains share nodes (same
// actor, same source), so the drawing is their union.
import { h, s, textWidth, wrap } from "./dom.js";
import {
  CERTAINTY, OWN_VOICE, anonymousBadge, certaintyBadge, fuzzyDate, isDated, modeName, plural, shortTitle,
} from "./format.js";

const NODE_W = 264;
const NODE_H = 122;
const ROW_GAP = 28;
const PAD = 24;

function actorNode(actor) {
  return {
    key: `actor:${actor.id}`, type: "actor", id: actor.id, name: actor.name,
    kind: actor.kind, anonymous: Boolean(actor.anonymous || actor.kind === "anonymous"),
    href: `#/actors/${actor.id}`,
  };
}

function sourceNode(source) {
  return {
    key: `source:${source.id}`, type: "source", id: source.id, name: source.title,
    kind: source.kind, publisher: source.publisher?.name || null, published: source.published,
    href: `#/sources/${source.id}`,
  };
}

/** The nodes and edges of one chain, origin first. */
function chainPath(chain) {
  const hops = [...chain.hops].sort((a, b) => b.depth - a.depth); // origin first
  const nodes = [];
  const edges = [];
  const first = hops[0];
  let previous = first.speaker ? actorNode(first.speaker) : { ...sourceNode(first.source), ownVoice: true };
  nodes.push(previous);
  hops.forEach((hop, index) => {
    const relayer = hops[index + 1];
    // Nested reporting inside one document: the hop arrives at the speaker who
    // relays it there; otherwise at the document that records it.
    const nested = relayer && relayer.source.id === hop.source.id && relayer.speaker;
    const target = nested ? actorNode(relayer.speaker) : sourceNode(hop.source);
    if (target.key !== previous.key) {
      nodes.push(target);
      edges.push({ from: previous.key, to: target.key, hop });
    }
    previous = target;
  });
  return { nodes, edges, hops };
}

/** The union of all chains, with a layer (column) for each node. */
export function layout(provenance) {
  const nodes = new Map();
  const edges = new Map();
  const paths = provenance.chains.map(chainPath);
  for (const path of paths) {
    for (const node of path.nodes) if (!nodes.has(node.key)) nodes.set(node.key, node);
    for (const edge of path.edges) {
      const key = `${edge.from}>${edge.to}>${edge.hop.attribution_id}`;
      if (!edges.has(key)) edges.set(key, { ...edge, key });
    }
  }
  // Longest path from an origin: a node sits right of everything that feeds it.
  const layer = new Map([...nodes.keys()].map((key) => [key, 0]));
  for (let round = 0; round < nodes.size; round += 1) {
    let changed = false;
    for (const edge of edges.values()) {
      const next = layer.get(edge.from) + 1;
      if (next > layer.get(edge.to)) {
        layer.set(edge.to, next);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const columns = [];
  for (const node of nodes.values()) {
    node.layer = layer.get(node.key);
    (columns[node.layer] ||= []).push(node);
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()], columns, paths };
}

function edgeLabel(hop) {
  const parts = [hop.certainty || "unknown"];
  if (hop.cue) parts.push(`“${hop.cue}”`);
  else parts.push(modeName(hop.mode));
  return parts.join(" · ");
}

function nodeLines(node) {
  if (node.type === "actor") {
    return { eyebrow: node.kind, title: wrap(node.name, 26, 2), foot: null };
  }
  const kind = node.ownVoice ? `${node.kind} · own voice` : node.kind;
  const eyebrow = wrap(node.publisher ? `${kind} · ${node.publisher}` : kind, 25, 1)[0];
  const foot = isDated(node.published) ? fuzzyDate(node.published) : "date unknown";
  return { eyebrow, title: wrap(shortTitle(node.name), 28, 3), foot };
}

function nodeDescription(node) {
  if (node.type === "actor") {
    return `${node.name} (${node.anonymous ? "anonymous " : ""}${node.kind})`;
  }
  const by = node.publisher ? `, published by ${node.publisher}` : "";
  const voice = node.ownVoice ? `, speaking in ${OWN_VOICE}` : "";
  return `${node.kind} “${node.name}”${by}${voice}`;
}

function drawNode(node, x, y) {
  const { eyebrow, title, foot } = nodeLines(node);
  const group = s("g", {
    class: `node node-${node.type}${node.anonymous ? " node-anonymous" : ""}`,
    transform: `translate(${x} ${y})`,
    "data-node": node.key, "data-layer": node.layer, "data-name": node.name,
  }, s("title", null, nodeDescription(node)));
  group.append(s("rect", { class: "node-box", width: NODE_W, height: NODE_H, rx: 10 }));
  if (node.type === "source") {
    group.append(s("rect", { class: "node-spine", width: 6, height: NODE_H, rx: 3 }));
    group.append(s("path", {
      class: "node-doc-icon", "aria-hidden": "true",
      d: "M0 0h8l4 4v12h-12z M8 0v4h4", transform: `translate(${NODE_W - 26} 12)`,
    }));
  }
  if (node.anonymous) {
    group.append(s("rect", { class: "anon-badge", x: 16, y: 11, width: 98, height: 20, rx: 10 }));
    group.append(s("text", { class: "anon-badge-text", x: 65, y: 25, "text-anchor": "middle" }, "ANONYMOUS"));
  } else {
    group.append(s("text", { class: "node-eyebrow", x: 18, y: 26 }, eyebrow.toUpperCase()));
  }
  // Actors have no date line: their name sits lower, in the middle of the box.
  const top = node.type === "actor" ? 72 - (title.length - 1) * 9.5 : 52;
  title.forEach((text, index) => {
    group.append(s("text", { class: "node-title", x: 18, y: top + index * 19 }, text));
  });
  if (foot) {
    group.append(s("text", { class: "node-foot", x: 18, y: NODE_H - 12 }, foot));
  }
  group.addEventListener("click", () => {
    window.location.hash = node.href;
  });
  return group;
}

function legendSwatch(certainty) {
  return s("svg", { width: 44, height: 12, viewBox: "0 0 44 12", "aria-hidden": "true", focusable: "false" },
    s("line", { x1: 2, y1: 6, x2: 42, y2: 6, class: `edge-line certainty-${certainty}` }));
}

/** The legend: line style per certainty, and the node styles. */
export function legend() {
  return h("ul", { class: "legend", "aria-label": "Legend" },
    Object.entries(CERTAINTY).map(([name, info]) =>
      h("li", null, legendSwatch(name), h("span", null, h("strong", null, info.label), ` — ${info.help}`))),
    h("li", null, h("span", { class: "legend-node legend-anonymous", "aria-hidden": "true" }),
      h("span", null, h("strong", null, "anonymous actor"), " — known only by description")),
    h("li", null, h("span", { class: "legend-node legend-source", "aria-hidden": "true" }),
      h("span", null, h("strong", null, "document"), " — the source that records it")));
}

/** The graph as an SVG image (the chains as text come from ``chainList``). */
export function provenanceGraph(provenance) {
  const graph = layout(provenance);
  const labelWidth = Math.max(120, ...graph.edges.map((e) => textWidth(edgeLabel(e.hop), 12) + 28));
  const colGap = Math.min(260, labelWidth);
  const rows = Math.max(...graph.columns.map((column) => column.length));
  const width = PAD * 2 + graph.columns.length * NODE_W + (graph.columns.length - 1) * colGap;
  // Edges that skip a column run in lanes below the nodes, not through them.
  const LANE = 30;
  const long = graph.edges.filter((e) => graph.nodes.find((n) => n.key === e.to).layer
    - graph.nodes.find((n) => n.key === e.from).layer > 1);
  const nodesBottom = PAD + rows * NODE_H + (rows - 1) * ROW_GAP;
  const height = nodesBottom + PAD + long.length * LANE;
  const position = new Map();
  graph.columns.forEach((column, layer) => {
    const offset = ((rows - column.length) * (NODE_H + ROW_GAP)) / 2;
    column.forEach((node, row) => {
      position.set(node.key, {
        x: PAD + layer * (NODE_W + colGap),
        y: PAD + offset + row * (NODE_H + ROW_GAP),
      });
    });
  });
  const names = graph.paths
    .map((path) => path.nodes.map((n) => shortTitle(n.name)).join(" → ")).join("; ");
  const svg = s("svg", {
    class: "provenance-graph", role: "img", viewBox: `0 0 ${width} ${height}`,
    width, height, "aria-labelledby": "graph-title graph-desc",
    "data-testid": "provenance-graph",
  },
  s("title", { id: "graph-title" }, "Provenance graph"),
  s("desc", { id: "graph-desc" },
    `${plural(provenance.chains.length, "chain")} from the original speaker to the documents: ${names}.`),
  s("defs", null,
    Object.keys(CERTAINTY).map((name) => s("marker", {
      id: `arrow-${name}`, viewBox: "0 0 10 10", refX: 9, refY: 5, markerUnits: "userSpaceOnUse",
      markerWidth: 13, markerHeight: 13, orient: "auto-start-reverse",
    }, s("path", { d: "M0 0L10 5L0 10z", class: `arrow certainty-${name}` })))));

  const edgeLayer = s("g", { class: "edges" });
  const labelLayer = s("g", { class: "edge-labels" });
  for (const edge of graph.edges) {
    const from = position.get(edge.from);
    const to = position.get(edge.to);
    const certainty = CERTAINTY[edge.hop.certainty] ? edge.hop.certainty : "unknown";
    const x1 = from.x + NODE_W;
    const y1 = from.y + NODE_H / 2;
    const x2 = to.x - 2;
    const y2 = to.y + NODE_H / 2;
    const lane = long.indexOf(edge);
    let d;
    let mx = (x1 + x2) / 2;
    let my = (y1 + y2) / 2;
    if (lane >= 0) {
      // Out of the right side, down to the lane, along it, up into the target.
      const ly = nodesBottom + LANE * (lane + 0.75);
      const ax = x1 + colGap / 2;
      const bx = x2 - colGap / 2;
      const q = colGap / 4;
      d = `M${x1} ${y1} C${x1 + q} ${y1} ${ax - q} ${ly} ${ax} ${ly} L${bx} ${ly} `
        + `C${bx + q} ${ly} ${x2 - q} ${y2} ${x2} ${y2}`;
      mx = (ax + bx) / 2;
      my = ly + 14;
    } else {
      const bend = Math.max(40, (x2 - x1) / 2);
      d = `M${x1} ${y1} C${x1 + bend} ${y1} ${x2 - bend} ${y2} ${x2} ${y2}`;
    }
    edgeLayer.append(s("path", {
      class: `edge-line certainty-${certainty}`, d,
      "marker-end": `url(#arrow-${certainty})`,
      "data-from": edge.from, "data-to": edge.to, "data-certainty": certainty,
    }));
    const label = edgeLabel(edge.hop);
    const lw = textWidth(label, 12) + 14;
    labelLayer.append(s("g", { class: `edge-label certainty-${certainty}` },
      s("rect", { x: mx - lw / 2, y: my - 24, width: lw, height: 19, rx: 9.5 }),
      s("text", { x: mx, y: my - 10.5, "text-anchor": "middle" }, label)));
  }
  svg.append(edgeLayer);
  for (const node of graph.nodes) {
    const { x, y } = position.get(node.key);
    svg.append(drawNode(node, x, y));
  }
  svg.append(labelLayer);
  return svg;
}

function who(node) {
  if (node.type === "actor") {
    return h("span", null, h("a", { href: node.href }, node.name), " ",
      node.anonymous ? anonymousBadge() : h("span", { class: "kind" }, node.kind));
  }
  return h("span", null, h("a", { href: node.href }, shortTitle(node.name)),
    h("span", { class: "kind" }, node.publisher ? ` ${node.kind}, ${node.publisher}` : ` ${node.kind}`));
}

/** Whose words a chain rests on: the source's own, a named speaker's, or an anonymous one's. */
function chainStanding(chain) {
  if (chain.origin?.type === "source") return `in ${OWN_VOICE}`;
  return chain.on_record ? "on the record" : "rests on an anonymous speaker";
}

/** The text alternative: each chain as an ordered list, origin first. */
export function chainList(provenance) {
  const graph = layout(provenance);
  return h("ol", { class: "chain-list", "data-testid": "chain-list" },
    provenance.chains.map((chain, index) => {
      const path = graph.paths[index];
      const origin = path.nodes[0];
      const steps = [h("li", null, h("span", { class: "step-role" }, "Origin: "),
        origin.ownVoice ? [h("span", { class: "own-voice" }, OWN_VOICE), " of "] : null, who(origin))];
      path.edges.forEach((edge, step) => {
        const node = graph.nodes.find((n) => n.key === edge.to);
        const hop = edge.hop;
        let role = "Passed on by: ";
        if (node.type === "source") role = step === 0 ? "Said in: " : "Relayed in: ";
        const details = hop.speaker ? [hop.speaker.name, modeName(hop.mode)] : [modeName(hop.mode)];
        if (hop.cue) details.push(`cue “${hop.cue}”`);
        if (isDated(hop.time)) details.push(`said ${fuzzyDate(hop.time)}`);
        steps.push(h("li", null, h("span", { class: "step-role" }, role), who(node), " — ",
          certaintyBadge(hop.certainty), " ", h("span", { class: "step-detail" }, details.join(", "))));
      });
      const heading = `Chain ${index + 1}: ${plural(chain.hops.length, "hop")}, weakest certainty `
        + `${chain.weakest_certainty || "unknown"}, ${chainStanding(chain)}${chain.truncated ? " (cut short)" : ""}`;
      return h("li", { class: "chain" }, h("p", { class: "chain-heading" }, heading),
        h("ol", { class: "chain-steps" }, steps));
    }));
}
