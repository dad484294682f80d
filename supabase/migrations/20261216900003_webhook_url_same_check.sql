-- Attack review of session 17, item 5: create_webhook_endpoint saved https://0177.0.0.1/ (octal 127.0.0.1),
-- https://localhost./ (trailing dot), https://[64:ff9b::7f00:1]/ (NAT64 of 127.0.0.1) and https://[2002:7f00:1::]/
-- (6to4 of 127.0.0.1), though docs/api.md says such addresses are refused when saved; only the sender
-- (supabase/functions/_shared/outbound.ts) refused them at send time. The save-time check now judges a host the
-- way the sender does:
--   * private.ip_is_private(text) is outbound.ts's isPrivateAddress in SQL, rule for rule (IPv4 private ranges;
--     IPv6 only in 2000::/3; IPv4-compatible/-mapped/-translated, NAT64 64:ff9b::/96 and 6to4 2002::/16 judged by
--     the IPv4 address they carry; Teredo and documentation refused). supabase/tests/webhookUrlParity.test.ts feeds
--     the same addresses to both and requires the same answer, so the two cannot drift apart.
--   * the host is read as the sender's URL parser (WHATWG) reads it: one trailing dot dropped ("localhost." is
--     localhost), and a host whose last label is a number is an IPv4 address in any of its forms — octal (0177),
--     hex (0x7f), and 1 to 4 parts (127.1, 2130706433) — refused as invalid when out of range, as the URL parser does.
-- webhook_url_problem's body starts from its only definition (20261206700001_webhooks.sql).

create function private.ip_is_private(p_ip text) returns boolean
language plpgsql immutable set search_path = '' as $$
declare
  a text := regexp_replace(lower(btrim(coalesce(p_ip, ''), '[]')), '%.*$', '');
  v inet;
  g text[];
begin
  if a ~ '^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$' then
    begin
      v := a::inet;
    exception when others then
      return true;
    end;
    return v << '0.0.0.0/8' or v << '10.0.0.0/8' or v << '100.64.0.0/10' or v << '127.0.0.0/8'
        or v << '169.254.0.0/16' or v << '172.16.0.0/12' or v << '192.168.0.0/16' or v << '198.18.0.0/15'
        or v << '224.0.0.0/3';
  end if;
  if position(':' in a) = 0 then
    return false;
  end if;
  begin
    v := a::inet;
  exception when others then
    return true; -- not an address we can read: never a target
  end;
  if family(v) <> 6 then
    return true;
  end if;
  -- ::/96: unspecified, loopback (and ::0.0.x.x), IPv4-compatible
  if v << '::/96' then
    if v - '::'::inet < 65536 then return true; end if;
    return private.ip_is_private(host('0.0.0.0'::inet + (v - '::'::inet)));
  end if;
  if v << '::ffff:0:0/96' then
    return private.ip_is_private(host('0.0.0.0'::inet + (v - '::ffff:0:0'::inet)));
  end if;
  if v << '::ffff:0:0:0/96' then
    return private.ip_is_private(host('0.0.0.0'::inet + (v - '::ffff:0:0:0'::inet)));
  end if;
  if v << '64:ff9b::/96' then
    return private.ip_is_private(host('0.0.0.0'::inet + (v - '64:ff9b::'::inet)));
  end if;
  if v << '2002::/16' then
    -- the IPv4 address is groups 1 and 2: read from the /48 network's text (2002:x:y:: compressed)
    g := string_to_array(regexp_replace(host(network(set_masklen(v, 48))), '::$', ''), ':');
    return private.ip_is_private(
      host('0.0.0.0'::inet + ((coalesce(('x' || lpad(coalesce(g[2], '0'), 8, '0'))::bit(32)::bigint, 0) << 16)
                             + ('x' || lpad(coalesce(g[3], '0'), 8, '0'))::bit(32)::bigint)));
  end if;
  if v << '2001::/32' or v << '2001:db8::/32' then
    return true;
  end if;
  return not (v << '2000::/3');
end
$$;
revoke all on function private.ip_is_private(text) from public, anon, authenticated;

-- A host whose last label is a number, read as the WHATWG URL parser reads an IPv4 host: 1–4 parts, each decimal,
-- 0x-hex or 0-octal, the last part filling the remaining bytes. Returns the dotted address; 'invalid' when it is
-- numeric but out of range (the URL parser fails on it); null when the host is a name.
create function private.url_ipv4_host(p_host text) returns text
language plpgsql immutable set search_path = '' as $$
declare
  parts text[] := string_to_array(p_host, '.');
  n int;
  nums numeric[] := '{}';
  p text;
  val numeric;
  total numeric := 0;
  i int;
begin
  if p_host is null or p_host = '' then return null; end if;
  n := array_length(parts, 1);
  if parts[n] = '' then return null; end if; -- the caller has dropped one trailing dot already
  if parts[n] !~ '^(0[xX][0-9a-fA-F]*|[0-9]+)$' then return null; end if;
  if n > 4 then return 'invalid'; end if;
  foreach p in array parts loop
    if p ~ '^0[xX][0-9a-fA-F]*$' then
      val := 0;
      for i in 3 .. char_length(p) loop
        val := val * 16 + position(lower(substr(p, i, 1)) in '0123456789abcdef') - 1;
      end loop;
    elsif p ~ '^0[0-7]+$' then
      val := 0;
      for i in 2 .. char_length(p) loop
        val := val * 8 + substr(p, i, 1)::int;
      end loop;
    elsif p ~ '^[0-9]+$' then
      if p ~ '^0[0-9]+$' then return 'invalid'; end if; -- 08, 09: not octal, not decimal
      val := p::numeric;
    else
      return 'invalid';
    end if;
    nums := nums || val;
  end loop;
  for i in 1 .. n - 1 loop
    if nums[i] > 255 then return 'invalid'; end if;
    total := total + nums[i] * (256::numeric ^ (4 - i));
  end loop;
  if nums[n] >= 256::numeric ^ (5 - n) then return 'invalid'; end if;
  total := total + nums[n];
  return host('0.0.0.0'::inet + total::bigint);
end
$$;
revoke all on function private.url_ipv4_host(text) from public, anon, authenticated;

create or replace function private.webhook_url_problem(p_url text) returns text
language plpgsql stable
set search_path = ''
as $$
declare
  v_allow boolean := coalesce((select s.allow_private_urls from private.webhook_settings s), false);
  m text[];
  v_host text;
  v_v4 text;
begin
  if p_url is null or char_length(p_url) not between 10 and 2000 or p_url ~ '\s' then
    return 'WEBHOOK.URL_INVALID';
  end if;
  m := regexp_match(p_url, '^(https?)://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?(/[^#]*)?$');
  if m is null then
    return 'WEBHOOK.URL_INVALID';
  end if;
  if m[3] is not null and substr(m[3], 2)::integer not between 1 and 65535 then
    return 'WEBHOOK.URL_INVALID';
  end if;
  if v_allow then
    return null;
  end if;
  if m[1] <> 'https' then
    return 'WEBHOOK.URL_INVALID';
  end if;
  v_host := lower(btrim(m[2], '[]'));
  -- one trailing dot is the same host to the sender's URL parser and to DNS ("localhost." is localhost)
  if v_host ~ '[^.]\.$' then
    v_host := left(v_host, -1);
  end if;
  if v_host = 'localhost' or v_host ~ '\.(localhost|local|internal|localdomain|home|lan)$' or v_host !~ '[.:]' then
    -- a bare number ("2130706433") is an IPv4 address, judged below
    if v_host !~ '^[0-9]+$' and v_host !~ '^0[xX][0-9a-fA-F]*$' then
      return 'WEBHOOK.URL_PRIVATE';
    end if;
  end if;
  if position(':' in v_host) > 0 then
    if private.ip_is_private(v_host) then
      return 'WEBHOOK.URL_PRIVATE';
    end if;
    return null;
  end if;
  v_v4 := private.url_ipv4_host(v_host);
  if v_v4 = 'invalid' then
    return 'WEBHOOK.URL_INVALID';
  end if;
  if v_v4 is not null and private.ip_is_private(v_v4) then
    return 'WEBHOOK.URL_PRIVATE';
  end if;
  return null;
end
$$;
