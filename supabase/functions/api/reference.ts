/** The reference page at /v1/docs: a small self-contained HTML view of the OpenAPI document (no CDN). */
export const referencePage = (specUrl: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>QueueMed API reference</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem 1.5rem;color:#1f2937}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #e5e7eb}
.op{border:1px solid #e5e7eb;border-radius:.5rem;margin:.75rem 0;padding:.5rem .75rem}
.m{font-weight:700;display:inline-block;min-width:3.5rem}.get{color:#047857}.post{color:#1d4ed8}
code{background:#f3f4f6;padding:0 .25rem;border-radius:.25rem}pre{background:#f9fafb;padding:.5rem;overflow:auto;font-size:13px}
details summary{cursor:pointer}
</style></head>
<body><h1>QueueMed API <small id="v"></small></h1>
<p>OpenAPI 3.1: <a href="${specUrl}"><code>${specUrl}</code></a>. Authenticate with
<code>Authorization: Bearer &lt;user JWT | qmk_… API key&gt;</code>. Every POST needs an <code>Idempotency-Key</code>.</p>
<div id="ops">Loading…</div>
<script type="module">
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
const doc = await (await fetch(${JSON.stringify(specUrl)})).json();
document.getElementById('v').textContent = doc.info.version;
const byTag = {};
for (const [path, item] of Object.entries(doc.paths))
  for (const [method, op] of Object.entries(item)) (byTag[op.tags[0]] ??= []).push({ path, method, op });
let html = '';
for (const [tag, ops] of Object.entries(byTag)) {
  html += '<h2>' + esc(tag) + '</h2>';
  for (const { path, method, op } of ops) {
    const params = (op.parameters ?? []).map((p) => '<li><code>' + esc(p.name) + '</code> (' + esc(p.in) + (p.required ? ', required' : '') + ')</li>').join('');
    const body = op.requestBody ? '<pre>' + esc(JSON.stringify(op.requestBody.content['application/json'].schema, null, 2)) + '</pre>' : '';
    const res = Object.entries(op.responses).map(([s, r]) => '<li><b>' + esc(s) + '</b> ' + esc(r.description) + '</li>').join('');
    html += '<div class="op"><span class="m ' + method + '">' + method.toUpperCase() + '</span> <code>' + esc(path) + '</code> — ' + esc(op.summary) +
      (op['x-scope'] ? ' <small>(scope: ' + esc(op['x-scope']) + ')</small>' : '') +
      '<details><summary>details</summary>' + (params ? '<p>Parameters</p><ul>' + params + '</ul>' : '') + (body ? '<p>Body</p>' + body : '') + '<p>Responses</p><ul>' + res + '</ul></details></div>';
  }
}
html += '<h2>Schemas</h2><pre>' + esc(JSON.stringify(doc.components.schemas, null, 2)) + '</pre>';
document.getElementById('ops').innerHTML = html;
</script></body></html>
`;
