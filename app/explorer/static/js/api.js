// The public API, and nothing else.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/** GET ``path`` (under /v1) with query ``params``; the JSON body, or an ApiError. */
export async function get(path, params = {}) {
  const url = new URL(`/v1${path}`, window.location.origin);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(name, value);
  }
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
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
