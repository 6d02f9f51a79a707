// A reviewed extraction as one bundle for POST /v1/bundles: the accepted
// proposals only, each as the person left it, with ``review: "accepted"``
// (as proposed) or ``"corrected"`` (changed first). Sources, actors and the
// text's record come from the proposal's own bundle (POST /v1/extractions),
// kept only where an accepted attribution needs them.

/** A proposal as the review starts it: its fields as the model proposed them. */
export function initialState(proposal, index) {
  return {
    index,
    ref: proposal.ref,
    decision: "pending", // "accepted" | "rejected"
    spans: proposal.spans.map(({ role, start, end, text }) => ({ role, start, end, text })),
    speaker: proposal.speaker === null ? null : { ref: proposal.speaker },
    mode: proposal.mode,
    certainty: proposal.certainty,
    relayedThrough: proposal.relayed_through,
    time: { earliest: proposal.time?.earliest ?? null, latest: proposal.time?.latest ?? null },
  };
}

function spanKey(spans) {
  return spans.map((s) => `${s.role}:${s.start}-${s.end}`).sort().join(",");
}

function speakerKey(speaker) {
  if (!speaker) return "own-voice";
  return speaker.ref ? `ref:${speaker.ref}` : `id:${speaker.id}`;
}

/** What the person changed in ``state`` from ``proposal``: a list of field names (empty: as proposed). */
export function corrections(state, proposal) {
  const original = initialState(proposal, state.index);
  const changed = [];
  if (spanKey(state.spans) !== spanKey(original.spans)) changed.push("spans");
  if (speakerKey(state.speaker) !== speakerKey(original.speaker)) changed.push("speaker");
  for (const field of ["mode", "certainty", "relayedThrough"]) {
    if (state[field] !== original[field]) changed.push(field);
  }
  if (state.time.earliest !== original.time.earliest || state.time.latest !== original.time.latest) {
    changed.push("time");
  }
  return changed;
}

/** A proposal's time in bundle form (as app/extractions/bundle.py shapes it). */
function proposedTime(time, articleRef) {
  if (!time) return null;
  let shaped = Object.fromEntries(Object.entries(time).filter(([, value]) => value !== null));
  if (shaped.relative_to === "source") shaped.anchor_source = articleRef;
  else if (shaped.relative_to === "event") {
    // No event to anchor it to: the words stay, a person gives the days.
    shaped = Object.fromEntries(Object.entries(shaped).filter(([k]) => ["expression", "earliest", "latest"].includes(k)));
    if (shaped.earliest || shaped.latest) shaped.precision = "range";
  }
  if (shaped.precision === "unknown") delete shaped.precision;
  return Object.keys(shaped).length ? shaped : null;
}

function editedTime(state, proposal) {
  const { earliest, latest } = state.time;
  const time = {};
  if (proposal.time?.expression) time.expression = proposal.time.expression;
  if (earliest) time.earliest = earliest;
  if (latest) time.latest = latest;
  if (earliest || latest) time.precision = earliest && earliest === latest ? "day" : "range";
  return Object.keys(time).length ? time : null;
}

const byStart = (a, b) => a.start - b.start || a.end - b.end;
const joined = (spans) => spans.map((s) => s.text).join(" ");

/** A short, stable digest of ``text`` (FNV-1a, 2 × 32 bits): the same review gives the same bundle id. */
function digest(text) {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
  }
  return a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0");
}

/**
 * The bundle of the accepted ``states`` of ``extraction`` (the answer of
 * POST /v1/extractions), and the problems that keep it from being stored
 * ({ref, message}: an accepted proposal with nothing said, say).
 */
export function reviewedBundle(extraction, states) {
  const base = extraction.bundle;
  const proposals = extraction.attributions;
  const articleRef = extraction.sources[0].id || "S0";
  const storedActor = new Map(extraction.actors.filter((a) => a.actor_id).map((a) => [a.ref, a.actor_id]));
  const accepted = states.filter((state) => state.decision === "accepted");
  const problems = [];
  const claims = [];
  const claimOf = new Map();
  for (const state of accepted) {
    const content = state.spans.filter((s) => s.role === "content").sort(byStart);
    if (!content.length) continue;
    claimOf.set(state.index, `C${state.index}`);
    claims.push({ ref: `C${state.index}`, text: joined(content), language: extraction.language });
  }
  const attributions = [];
  for (const state of accepted) {
    // An attribution in a relayed source says what the one relaying it says.
    const relaying = accepted.find((other) => other.relayedThrough === state.index && claimOf.has(other.index));
    const claim = claimOf.get(state.index) || (relaying ? claimOf.get(relaying.index) : null);
    if (!claim) {
      problems.push({
        ref: state.ref,
        message: proposals[state.index].source === "S0"
          ? "nothing said: select its content in the text, or reject it"
          : "it says what the attribution relaying it says: accept that one too, or reject this one",
      });
      continue;
    }
    attributions.push(attributionRecord(state, proposals[state.index], claim,
      { base, articleRef, storedActor, model: extraction.model }));
  }
  const kept = new Set(attributions.map((a) => a.ref));
  for (const record of attributions) {
    if (record.relayed_through && !kept.has(record.relayed_through)) delete record.relayed_through;
    const resolution = record.speaker_resolution;
    if (resolution?.through_attribution && !kept.has(resolution.through_attribution)) delete resolution.through_attribution;
  }
  const sourceRefs = new Set([articleRef, ...attributions.map((a) => a.source)]);
  const sources = base.sources.filter((s) => sourceRefs.has(s.ref)).map((s) => (
    s.cites_sources ? { ...s, cites_sources: s.cites_sources.filter((ref) => sourceRefs.has(ref)) } : { ...s }));
  const actorRefs = new Set([...attributions.map((a) => a.speaker), ...sources.map((s) => s.publisher)].filter(Boolean));
  const actors = base.actors.filter((a) => actorRefs.has(a.ref));
  const records = { actors, sources, claims, attributions };
  return {
    bundle: {
      format: base.format,
      version: base.version,
      id: `${base.id}-reviewed-${digest(JSON.stringify(records))}`,
      title: `Reviewed ${base.title}`.slice(0, 500),
      description: `${base.description} Reviewed in the explorer: ${attributions.length} accepted.`,
      ...records,
    },
    problems,
  };
}

function attributionRecord(state, proposal, claim, { base, articleRef, storedActor, model }) {
  const proposed = base.attributions.find((a) => a.ref === state.ref);
  const changed = corrections(state, proposal);
  const spans = [...state.spans].sort(byStart);
  const content = spans.filter((s) => s.role === "content");
  const cue = joined(spans.filter((s) => s.role === "cue")).trim();
  const record = {
    ref: state.ref,
    claim,
    source: proposal.source === "S0" ? articleRef : proposal.source,
    mode: state.speaker ? state.mode : "own_voice",
    certainty: state.certainty,
    spans: spans.map(({ role, start, end, text }) => ({ role, start, end, text })),
    extraction: proposed?.extraction || { model: model.name, version: model.version, confidence: proposal.confidence },
    review: changed.length ? "corrected" : "accepted",
  };
  if (state.speaker) record.speaker = state.speaker.id || storedActor.get(state.speaker.ref) || state.speaker.ref;
  if (cue) record.cue = cue.slice(0, 500);
  if (content.length === 1) record.span = { start: content[0].start, end: content[0].end, text: content[0].text };
  if (state.relayedThrough !== null && state.relayedThrough !== undefined) record.relayed_through = `A${state.relayedThrough}`;
  const mention = joined(spans.filter((s) => s.role === "speaker")).trim();
  if (state.speaker && changed.includes("speaker")) {
    // A person chose the speaker: the resolver's guess no longer says how it was found.
    record.speaker_resolution = { method: "manual", confidence: 1, ...(mention ? { mention } : {}) };
  } else if (state.speaker && proposed?.speaker_resolution) {
    record.speaker_resolution = { ...proposed.speaker_resolution };
    if (mention) record.speaker_resolution.mention = mention.slice(0, 500);
  }
  const time = changed.includes("time") ? editedTime(state, proposal) : proposedTime(proposal.time, articleRef);
  if (time) record.time = time;
  return record;
}
