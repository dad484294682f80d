// npm run check:cors -- https://<project>.supabase.co [origin] — see scripts/gatewayCors.ts
import { checkGatewayCors, corsCheckPassed } from './gatewayCors';

const [base, origin] = process.argv.slice(2);
if (!base || !/^https?:\/\//.test(base)) {
  console.error('usage: npm run check:cors -- https://<project>.supabase.co [origin]');
  process.exit(2);
}
const results = await checkGatewayCors(base, origin);
for (const r of results)
  console.log(
    `${r.refused.length === 0 && r.originAllowed ? 'ok  ' : 'FAIL'} OPTIONS ${r.path} → ${r.status}; allowed: ${r.allowedHeaders || '(none)'}${r.refused.length ? `; refused: ${r.refused.join(', ')}` : ''}${r.originAllowed ? '' : '; origin not allowed'}`,
  );
process.exit(corsCheckPassed(results) ? 0 : 1);
