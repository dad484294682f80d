/** The board's branding on supabase-js (board20): get_board_branding, set_board_colours, set_board_logo. */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from '../../shared/zod';
import { fromResponse, guard } from '../../shared/repositories/postgrest';
import type { BoardBrandingRepository } from './BoardBrandingRepository';

const hex = z.string().check(z.regex(/^#[0-9a-f]{6}$/));
const BrandingRow = z.object({
  bg: hex,
  accent: hex,
  logo: z.nullable(z.string().check(z.regex(/^data:image\/(png|jpeg|webp);base64,[A-Za-z0-9+/=]+$/))),
  custom: z.boolean(),
});

export class SupabaseBoardBrandingRepository implements BoardBrandingRepository {
  constructor(private readonly client: SupabaseClient) {}

  branding(clinicId: string) {
    return guard(async () =>
      fromResponse(
        await this.client.rpc('get_board_branding', { p_clinic_id: clinicId }),
        BrandingRow,
        'get_board_branding',
      ),
    );
  }

  setColours(clinicId: string, bg: string | null, accent: string | null) {
    return guard(async () =>
      fromResponse(
        await this.client.rpc('set_board_colours', { p_clinic_id: clinicId, p_bg: bg, p_accent: accent }),
        BrandingRow,
        'set_board_colours',
      ),
    );
  }

  setLogo(clinicId: string, base64: string | null) {
    return guard(async () =>
      fromResponse(
        await this.client.rpc('set_board_logo', { p_clinic_id: clinicId, p_logo: base64 }),
        BrandingRow,
        'set_board_logo',
      ),
    );
  }
}
