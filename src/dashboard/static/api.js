// JSON from the dashboard's API; an error body {error: {code, message}} becomes a thrown Error.
export async function getJson(url) {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw Object.assign(new Error(body?.error?.message ?? `HTTP ${res.status}`), { code: body?.error?.code, status: res.status });
  return body;
}

export async function postJson(url, data) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data) });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw Object.assign(new Error(body?.error?.message ?? `HTTP ${res.status}`), { code: body?.error?.code, status: res.status });
  return body;
}

export function projectApi(entity, project) {
  return `/api/p/${encodeURIComponent(entity)}/${encodeURIComponent(project)}`;
}
