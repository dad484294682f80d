// `npm run bench:command`: one queue command's cost on PostgreSQL, end to end and by part, one desk, no
// contention (see supabase/local/profileCommand.ts). STORM_DAY=300 waiting walk-ins, COMMAND_ROUNDS=30.
import { register } from 'tsx/esm/api';

register();
const { profileCommand } = await import('../supabase/local/profileCommand.ts');
await profileCommand();
process.exit(0);
