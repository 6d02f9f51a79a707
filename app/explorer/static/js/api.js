// The public API, and nothing else. Reads are open; a write carries the tab's
// write key (writekey.js), and only ever to this page's own origin.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

function apiUrl(path, params = {}) {
  const url = new URL(`/v1${path}`, window.location.origin);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(name, value);
  }
  return url;
}

async function bodyOf(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

/** GET ``path`` (under /v1) with query ``params``: the JSON body and its ETag, or an ApiError. */
export async function read(path, params = {}) {
  const response = await fetch(apiUrl(path, params), { headers: { Accept: "application/json" } });
  const body = await bodyOf(response);
  if (!response.ok) throw new ApiError(response.status, body);
  return { body, etag: response.headers.get("ETag") };
}

/** GET ``path`` (under /v1) with query ``params``; the JSON body, or an ApiError. */
export async function get(path, params = {}) {
  return (await read(path, params)).body;
}

/** Every item of a paginated list, following ``next`` up to ``max`` items. */
export async function all(path, params = {}, max = 1000) {
  const items = [];
  let cursor = null;
  do {
    const page = await get(path, { ...params, limit: 200, cursor });
    items.push(...page.items);
    cursor = page.next;
  } while (cursor && items.length < max);
  return items;
}

/**
 * POST ``body`` as JSON to ``path`` (under /v1) with ``Authorization: Bearer
 * <key>``, and ``If-Match: <ifMatch>`` when given: the JSON answer, or an
 * ApiError carrying the problem. The request is same-origin by construction
 * (``mode: "same-origin"`` makes the browser refuse any other), follows no
 * redirect (which could carry the key elsewhere), and sends no cookie.
 */
export async function post(path, body, { key, ifMatch = null } = {}) {
  const url = apiUrl(path);
  if (url.origin !== window.location.origin) throw new Error("writes go to this origin only");
  const headers = { Accept: "application/json", "Content-Type": "application/json" };
  if (key) headers.Authorization = `Bearer ${key}`;
  if (ifMatch) headers["If-Match"] = ifMatch;
  const response = await fetch(url, {
    method: "POST",
    headers,
    body: JSON.stringify(body ?? {}),
    mode: "same-origin",
    credentials: "omit",
    redirect: "error",
    cache: "no-store",
  });
  const answer = await bodyOf(response);
  if (!response.ok) throw new ApiError(response.status, answer);
  return answer;
}
