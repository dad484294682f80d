/**
 * A normalised fingerprint of a database's catalogue: everything the migrations create, as sorted text
 * lines `section | object | definition`, so two databases built from different migration files (the old
 * chain and the baseline) or by different engines (PGlite and PostgreSQL) can be compared with a diff.
 *
 * Covered: schemas (+ACL), types (enum labels in order, domains), tables (RLS flags, ACL, comment),
 * columns (position among live columns, type, not null, default, identity, generated, column ACL,
 * comment), constraints, indexes, triggers, policies, functions (pg_get_functiondef, ACL, comment),
 * sequences, views, publication tables, default privileges, installed extensions (name only), and the
 * rows that migrations leave in public/private tables (minus generated ids and timestamps).
 *
 * Normalised: NOT NULL constraints, which PGlite's newer engine also lists in pg_constraint, are compared
 * as the columns' `not null`; ACL items are exploded and sorted (their order depends on the order of
 * GRANTs, not on what is granted), the MAINTAIN privilege (PostgreSQL 17+) is dropped, and the migrating
 * role is called <owner>, so PGlite and any PostgreSQL 15 server compare equal. The local stack's own
 * bookkeeping schema (queuemed_local) is left out.
 */
import type { DbTx } from './types';

const SYSTEM_SCHEMAS = `('pg_catalog', 'information_schema', 'pg_toast', 'queuemed_local')`;
const USER_NS = `n.nspname not in ${SYSTEM_SCHEMAS} and n.nspname not like 'pg_temp%' and n.nspname not like 'pg_toast%'`;
/** Objects that belong to an extension are the extension's, not the migrations'. */
const notExtension = (classId: string, oid: string) =>
  `not exists (select 1 from pg_catalog.pg_depend d where d.classid = '${classId}'::regclass and d.objid = ${oid} and d.deptype = 'e')`;

/** A role by name, except the migrating role (postgres here, another on DATABASE_URL's server): `<owner>`. */
const role = (oid: string) =>
  `case when ${oid} = 0 then 'PUBLIC' when ${oid} = (select r.oid from pg_catalog.pg_roles r where r.rolname = current_user) then '<owner>' else pg_get_userbyid(${oid})::text end`;
/**
 * An ACL as sorted `grantee:PRIVILEGE/grantor` items (`*` = with grant option), without PostgreSQL 17's
 * MAINTAIN (PGlite) so PGlite and PostgreSQL 15 compare equal. `-` = no ACL (the built-in defaults).
 */
const acl = (expr: string) =>
  `coalesce((select string_agg(x, ',' order by x) from (
     select ${role('a.grantee')} || ':' || a.privilege_type || case when a.is_grantable then '*' else '' end
            || '/' || ${role('a.grantor')} as x
     from aclexplode(${expr}) a where a.privilege_type <> 'MAINTAIN') s), '-')`;

const QUERIES: Record<string, string> = {
  schema: `
    select n.nspname as k, ${acl('n.nspacl')} || ' ' || coalesce(obj_description(n.oid, 'pg_namespace'), '') as v
    from pg_catalog.pg_namespace n where ${USER_NS} and ${notExtension('pg_namespace', 'n.oid')}`,
  extension: `select extname as k, '' as v from pg_catalog.pg_extension where extname <> 'plpgsql'`,
  enum: `
    select n.nspname || '.' || t.typname as k,
           string_agg(e.enumlabel, ',' order by e.enumsortorder) as v
    from pg_catalog.pg_type t join pg_catalog.pg_namespace n on n.oid = t.typnamespace
    join pg_catalog.pg_enum e on e.enumtypid = t.oid
    where ${USER_NS} and ${notExtension('pg_type', 't.oid')} group by 1`,
  domain: `
    select n.nspname || '.' || t.typname as k, format_type(t.typbasetype, t.typtypmod) || ' ' ||
           coalesce((select string_agg(pg_get_constraintdef(c.oid), ' ' order by c.conname)
                     from pg_catalog.pg_constraint c where c.contypid = t.oid), '') as v
    from pg_catalog.pg_type t join pg_catalog.pg_namespace n on n.oid = t.typnamespace
    where t.typtype = 'd' and ${USER_NS} and ${notExtension('pg_type', 't.oid')}`,
  relation: `
    select n.nspname || '.' || c.relname as k,
           c.relkind::text || ' rls=' || c.relrowsecurity || ' force=' || c.relforcerowsecurity ||
           ' replident=' || c.relreplident::text || ' acl=' || ${acl('c.relacl')} ||
           ' comment=' || coalesce(obj_description(c.oid, 'pg_class'), '') as v
    from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f') and ${USER_NS} and ${notExtension('pg_class', 'c.oid')}`,
  column: `
    select n.nspname || '.' || c.relname || '.' ||
           lpad((row_number() over (partition by c.oid order by a.attnum))::text, 3, '0') || '.' || a.attname as k,
           format_type(a.atttypid, a.atttypmod) || case when a.attnotnull then ' not null' else '' end ||
           coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), '') ||
           case when a.attidentity <> '' then ' identity ' || a.attidentity::text else '' end ||
           case when a.attgenerated <> '' then ' generated ' || a.attgenerated::text else '' end ||
           ' acl=' || ${acl('a.attacl')} ||
           coalesce(' comment=' || col_description(c.oid, a.attnum), '') as v
    from pg_catalog.pg_attribute a
    join pg_catalog.pg_class c on c.oid = a.attrelid
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    left join pg_catalog.pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
    where a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p', 'v', 'm', 'f')
      and ${USER_NS} and ${notExtension('pg_class', 'c.oid')}`,
  constraint: `
    select n.nspname || '.' || c.relname || '.' || k.conname as k, pg_get_constraintdef(k.oid) as v
    from pg_catalog.pg_constraint k join pg_catalog.pg_class c on c.oid = k.conrelid
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where k.contype <> 'n' and ${USER_NS} and ${notExtension('pg_class', 'c.oid')}`,
  index: `
    select n.nspname || '.' || i.relname as k, pg_get_indexdef(i.oid) as v
    from pg_catalog.pg_index x join pg_catalog.pg_class i on i.oid = x.indexrelid
    join pg_catalog.pg_class c on c.oid = x.indrelid
    join pg_catalog.pg_namespace n on n.oid = i.relnamespace
    where ${USER_NS} and ${notExtension('pg_class', 'c.oid')}`,
  trigger: `
    select n.nspname || '.' || c.relname || '.' || t.tgname as k,
           pg_get_triggerdef(t.oid) || ' enabled=' || t.tgenabled::text as v
    from pg_catalog.pg_trigger t join pg_catalog.pg_class c on c.oid = t.tgrelid
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where not t.tgisinternal and ${USER_NS}`,
  policy: `
    select n.nspname || '.' || c.relname || '.' || p.polname as k,
           p.polcmd::text || ' permissive=' || p.polpermissive || ' to=' ||
           (select string_agg(case when r = 0 then 'public' else pg_get_userbyid(r) end, ',' order by 1)
              from unnest(p.polroles) r) ||
           ' using=' || coalesce(pg_get_expr(p.polqual, p.polrelid), '-') ||
           ' check=' || coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '-') as v
    from pg_catalog.pg_policy p join pg_catalog.pg_class c on c.oid = p.polrelid
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where ${USER_NS}`,
  function: `
    select n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' as k,
           'acl=' || ${acl('p.proacl')} || coalesce(' comment=' || obj_description(p.oid, 'pg_proc'), '') ||
           E'\\n' || pg_get_functiondef(p.oid) as v
    from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
    where p.prokind in ('f', 'p') and ${USER_NS} and ${notExtension('pg_proc', 'p.oid')}`,
  view: `
    select n.nspname || '.' || c.relname as k, pg_get_viewdef(c.oid) as v
    from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('v', 'm') and ${USER_NS}`,
  publication: `
    select p.pubname || ' ' || n.nspname || '.' || c.relname as k,
           coalesce(pg_get_expr(r.prqual, r.prrelid), '') as v
    from pg_catalog.pg_publication_rel r join pg_catalog.pg_publication p on p.oid = r.prpubid
    join pg_catalog.pg_class c on c.oid = r.prrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace`,
  default_acl: `
    select ${role('d.defaclrole')} || ' ' || coalesce(n.nspname, '*') || ' ' || d.defaclobjtype::text as k,
           ${acl('d.defaclacl')} as v
    from pg_catalog.pg_default_acl d left join pg_catalog.pg_namespace n on n.oid = d.defaclnamespace`,
};

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;
/** Generated ids and timestamps differ between two runs; everything else a migration writes is compared. */
const VOLATILE_COLUMNS = ['id', 'created_at', 'updated_at', 'applied_at'];
/** Columns random per installation by design (compared by their presence, not their value). */
const RANDOM_PER_INSTALL: Record<string, string[]> = {
  // the server's key for visit links (20261202500002): gen_random_bytes at migration time
  'private.link_secrets': ['secret'],
  // the tracker push topics' HMAC key (sock26, 20261226100001): random at migration time
  'private.tracker_topic_key': ['ipad', 'opad'],
};

/**
 * Tables whose rows are the server's own data, not the migrations': each is one line saying whether it still matches
 * its source on this server. private.time_zone_names (s31, 20261228100001) copies pg_timezone_names, whose list
 * differs between servers (PGlite's zone files against Debian's, which also lists posix/…).
 */
const PER_SERVER: Record<string, string> = {
  'private.time_zone_names': `select 'the server''s pg_timezone_names: ' ||
     (array(select name from private.time_zone_names order by 1)
        = array(select distinct name from pg_catalog.pg_timezone_names order by 1))::text as x`,
};

export interface FingerprintOptions {
  /** Schemas whose table rows are compared (default public and private). */
  dataSchemas?: string[];
}

/** The fingerprint as sorted lines. */
export const schemaFingerprint = async (db: DbTx, options: FingerprintOptions = {}): Promise<string[]> => {
  const lines: string[] = [];
  for (const [section, sql] of Object.entries(QUERIES)) {
    const { rows } = await db.query<{ k: string; v: string }>(sql);
    for (const r of rows) lines.push(`${section} | ${r.k} | ${r.v}`);
  }
  const dataSchemas = options.dataSchemas ?? ['public', 'private'];
  const { rows: tables } = await db.query<{ s: string; t: string }>(
    `select n.nspname as s, c.relname as t from pg_catalog.pg_class c
     join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p') and n.nspname = any ($1::text[])`,
    [dataSchemas],
  );
  for (const { s, t } of tables) {
    const perServer = PER_SERVER[`${s}.${t}`];
    if (perServer !== undefined) {
      const { rows } = await db.query<{ x: string }>(perServer);
      for (const r of rows) lines.push(`row | ${s}.${t} | ${r.x}`);
      continue;
    }
    const drop = [...VOLATILE_COLUMNS, ...(RANDOM_PER_INSTALL[`${s}.${t}`] ?? [])]
      .map((c) => `'${c}'`)
      .join(', ');
    const { rows } = await db.query<{ x: string }>(
      `select (to_jsonb(r) - array[${drop}]::text[])::text as x from ${quoteIdent(s)}.${quoteIdent(t)} r`,
    );
    for (const r of rows) lines.push(`row | ${s}.${t} | ${r.x}`);
  }
  return lines.sort();
};
