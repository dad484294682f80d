/**
 * What the browser build gets for `@supabase/storage-js` (vite.config.ts aliases it here; tests and Node use
 * the real package). QueueMed keeps no files in Supabase Storage, yet supabase-js's client constructs a storage
 * client eagerly, which put storage-js and iceberg-js (7 KiB gzipped) in every signed-in screen's first load
 * (issue 14). The client is still built as supabase-js builds it; only `supabase.storage` is inert, and
 * test/unit/noStorage.test.ts checks that no source file reaches for it.
 */
export class StorageApiError extends Error {
  override name = 'StorageApiError';
}

export class StorageClient {
  from(): never {
    throw new StorageApiError(
      'QueueMed is built without Supabase Storage (src/services/composition/noStorage.ts)',
    );
  }
}
