-- Session 20 (board20), issue 17 "Board: the clinic's logo and colours". Rules in docs/domain-rules.md ("The
-- waiting-room board: branding") and docs/security.md ("The waiting-room board").
--
-- Storage: the logo is an image the owner uploads, kept IN THE DATABASE (private.board_brandings.logo, bytea) and
-- handed to the board as a data: URL by get_board_branding — not an https URL to somewhere else:
--   * a third-party URL would let whoever hosts it see every waiting room's screen load it (IP, hours of opening,
--     how often the board reloads: tracking), could change to anything after the owner saved it, and would need the
--     SPA's headers widened; a data: URL needs no new origin, and the same RPC works on Supabase and the local stack;
--   * boardLogoTypes: PNG, JPEG or WebP only, recognised by the file's own first bytes (the owner's declared type is
--     not trusted), never SVG (an SVG is a document that can carry script and external references); the data: URL
--     carries the detected type, and the board shows it in an <img> (no script runs from an <img> of any type);
--   * boardLogoSize: at most 64 KiB (a logo the height of the board's header at twice its pixel density fits in a
--     fraction of that), so every board's one branding read stays small.
-- Colours: boardColoursReadable — two validated hex colours (#rrggbb), the board's background and its accent (the
-- section headings, the "Room" labels). The board draws white text (also at 80 % and 70 % opacity) on the
-- background and on cards of 5 % and 10 % white over it, the background colour as text on the white "now serving"
-- card, and the accent on the background and both cards. A pair where any of these falls below WCAG AA's 4.5:1 is
-- refused with 422 BOARD.LOW_CONTRAST (nothing saved); a malformed colour is 422 VALIDATION.FAILED. The same check,
-- in the domain (src/services/clinic/models/BoardColours.ts), tells the owner before saving; the database decides.
-- Rights: the clinic's owner or admin sets them (set_board_colours, set_board_logo); anyone reads them
-- (get_board_branding: what a public board shows anyway).

create table private.board_brandings (
  clinic_id uuid primary key references public.clinics (id) on delete cascade,
  bg text check (bg is null or bg ~ '^#[0-9a-f]{6}$'),
  accent text check (accent is null or accent ~ '^#[0-9a-f]{6}$'),
  logo bytea check (logo is null or octet_length(logo) between 1 and 65536),
  logo_type text check (logo_type in ('image/png', 'image/jpeg', 'image/webp')),
  updated_at timestamptz not null default private.now(),
  updated_by uuid references auth.users (id) on delete set null,
  check ((logo is null) = (logo_type is null))
);
comment on table private.board_brandings is
  'The waiting-room board''s logo and colours per clinic (board20): read through get_board_branding only.';
revoke all on private.board_brandings from public, anon, authenticated;

-- ── Contrast (WCAG 2.x relative luminance; colours mixed as a browser composites them, in sRGB) ─────────
create function private.hex_rgb(p_hex text) returns double precision[]
language sql immutable
set search_path = ''
as $$
  select array[('x' || substr(p_hex, 2, 2))::bit(8)::integer,
               ('x' || substr(p_hex, 4, 2))::bit(8)::integer,
               ('x' || substr(p_hex, 6, 2))::bit(8)::integer]::double precision[]
$$;

-- `p_over` at opacity p_alpha over p_under
create function private.rgb_over(p_over double precision[], p_under double precision[], p_alpha double precision)
returns double precision[]
language sql immutable
set search_path = ''
as $$
  select array[p_under[1] + (p_over[1] - p_under[1]) * p_alpha,
               p_under[2] + (p_over[2] - p_under[2]) * p_alpha,
               p_under[3] + (p_over[3] - p_under[3]) * p_alpha]
$$;

create function private.rgb_luminance(p_rgb double precision[]) returns double precision
language sql immutable
set search_path = ''
as $$
  select 0.2126 * l[1] + 0.7152 * l[2] + 0.0722 * l[3]
    from (select array(select case when c / 255 <= 0.04045 then c / 255 / 12.92
                                    else power((c / 255 + 0.055) / 1.055, 2.4) end
                         from unnest(p_rgb) with ordinality u(c, i) order by i) as l) x
$$;

create function private.contrast_ratio(p_a double precision[], p_b double precision[]) returns double precision
language sql immutable
set search_path = ''
as $$
  select (greatest(a, b) + 0.05) / (least(a, b) + 0.05)
    from (select private.rgb_luminance(p_a) as a, private.rgb_luminance(p_b) as b) x
$$;

-- the board's defaults (src/styles/app.css --color-brand-900, Tailwind's emerald-200)
create function private.board_default_bg() returns text
language sql immutable set search_path = '' as $$ select '#0e463f' $$;
create function private.board_default_accent() returns text
language sql immutable set search_path = '' as $$ select '#a7f3d0' $$;

-- boardColoursReadable: the lowest contrast of any text the board draws with these colours (see the header)
create function private.board_min_contrast(p_bg text, p_accent text) returns double precision
language sql immutable
set search_path = ''
as $$
  with c as (
    select private.hex_rgb(p_bg) as bg, private.hex_rgb(p_accent) as accent,
           array[255, 255, 255]::double precision[] as white
  ), s as (
    select bg, accent, white, private.rgb_over(white, bg, 0.05) as card5, private.rgb_over(white, bg, 0.10) as card10
      from c
  )
  select least(
           private.contrast_ratio(private.rgb_over(white, bg, 0.70), bg),
           private.contrast_ratio(private.rgb_over(white, card5, 0.80), card5),
           private.contrast_ratio(private.rgb_over(white, card10, 0.80), card10),
           private.contrast_ratio(bg, white),
           private.contrast_ratio(accent, bg),
           private.contrast_ratio(accent, card5),
           private.contrast_ratio(accent, card10))
    from s
$$;

revoke all on function private.hex_rgb(text), private.rgb_over(double precision[], double precision[], double precision),
  private.rgb_luminance(double precision[]), private.contrast_ratio(double precision[], double precision[]),
  private.board_default_bg(), private.board_default_accent(), private.board_min_contrast(text, text)
  from public, anon, authenticated;

-- ── Reading (anyone: what the public board shows) ───────────────────────────────────────────────────────
-- → { bg, accent, logo: 'data:image/…;base64,…' | null, custom: whether the clinic set anything }
create function public.get_board_branding(p_clinic_id uuid) returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  b private.board_brandings;
begin
  if p_clinic_id is null or not exists (select 1 from public.clinics where id = p_clinic_id) then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  select * into b from private.board_brandings where clinic_id = p_clinic_id;
  return jsonb_build_object(
    'bg', coalesce(b.bg, private.board_default_bg()),
    'accent', coalesce(b.accent, private.board_default_accent()),
    'logo', case when b.logo is not null
                 then 'data:' || b.logo_type || ';base64,' || translate(encode(b.logo, 'base64'), E'\n', '') end,
    'custom', b.clinic_id is not null and (b.bg is not null or b.accent is not null or b.logo is not null));
end
$$;

-- ── Writing (the clinic's owner or admin) ───────────────────────────────────────────────────────────────
create function private.require_board_branding_admin(p_clinic_id uuid) returns void
language plpgsql
set search_path = ''
as $$
begin
  perform private.require_uid();
  if p_clinic_id is null or not private.is_clinic_member(p_clinic_id, array['owner', 'admin']::public.member_role[]) then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'only the clinic''s owner or admin sets the board''s branding');
  end if;
end
$$;
revoke all on function private.require_board_branding_admin(uuid) from public, anon, authenticated;

-- set_board_colours(clinic, bg, accent): null = the board's default for that colour; both null = the default board
create function public.set_board_colours(p_clinic_id uuid, p_bg text, p_accent text) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_bg text := lower(nullif(btrim(coalesce(p_bg, '')), ''));
  v_accent text := lower(nullif(btrim(coalesce(p_accent, '')), ''));
  v_min double precision;
begin
  perform private.require_board_branding_admin(p_clinic_id);
  if (v_bg is not null and v_bg !~ '^#[0-9a-f]{6}$') or (v_accent is not null and v_accent !~ '^#[0-9a-f]{6}$') then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a colour is #rrggbb');
  end if;
  v_min := private.board_min_contrast(coalesce(v_bg, private.board_default_bg()),
                                      coalesce(v_accent, private.board_default_accent()));
  if v_min < 4.5 then
    perform private.raise_error(422, 'BOARD.LOW_CONTRAST',
      format('text on the board would have a contrast of %s:1, below 4.5:1', round(v_min::numeric, 2)));
  end if;
  insert into private.board_brandings as b (clinic_id, bg, accent, updated_at, updated_by)
  values (p_clinic_id, v_bg, v_accent, private.now(), auth.uid())
  on conflict (clinic_id) do update
    set bg = excluded.bg, accent = excluded.accent, updated_at = excluded.updated_at, updated_by = excluded.updated_by;
  return public.get_board_branding(p_clinic_id);
end
$$;

-- set_board_logo(clinic, base64 image | null to remove)
create function public.set_board_logo(p_clinic_id uuid, p_logo text) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_bytes bytea;
  v_type text;
begin
  perform private.require_board_branding_admin(p_clinic_id);
  if p_logo is not null then
    -- 64 KiB is at most 87,384 base64 characters (a little more with line breaks)
    if char_length(p_logo) > 90000 or char_length(p_logo) = 0 then
      perform private.raise_error(422, 'BOARD.LOGO_INVALID', 'a logo is a PNG, JPEG or WebP image of at most 64 KiB');
    end if;
    begin
      v_bytes := decode(p_logo, 'base64');
    exception when others then
      perform private.raise_error(422, 'BOARD.LOGO_INVALID', 'a logo is a PNG, JPEG or WebP image of at most 64 KiB');
    end;
    v_type := case
      when substring(v_bytes from 1 for 8) = '\x89504e470d0a1a0a'::bytea then 'image/png'
      when substring(v_bytes from 1 for 3) = '\xffd8ff'::bytea then 'image/jpeg'
      when substring(v_bytes from 1 for 4) = '\x52494646'::bytea and substring(v_bytes from 9 for 4) = '\x57454250'::bytea
        then 'image/webp'
    end;
    if v_type is null or octet_length(v_bytes) > 65536 or octet_length(v_bytes) < 12 then
      perform private.raise_error(422, 'BOARD.LOGO_INVALID', 'a logo is a PNG, JPEG or WebP image of at most 64 KiB');
    end if;
  end if;
  insert into private.board_brandings as b (clinic_id, logo, logo_type, updated_at, updated_by)
  values (p_clinic_id, v_bytes, v_type, private.now(), auth.uid())
  on conflict (clinic_id) do update
    set logo = excluded.logo, logo_type = excluded.logo_type, updated_at = excluded.updated_at,
        updated_by = excluded.updated_by;
  return public.get_board_branding(p_clinic_id);
end
$$;

revoke execute on function public.get_board_branding(uuid), public.set_board_colours(uuid, text, text),
  public.set_board_logo(uuid, text) from public, anon, authenticated;
grant execute on function public.get_board_branding(uuid) to anon, authenticated, service_role;
grant execute on function public.set_board_colours(uuid, text, text), public.set_board_logo(uuid, text)
  to authenticated, service_role;
