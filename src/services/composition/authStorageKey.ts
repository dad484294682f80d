/**
 * Where supabase-js keeps the session. Its own tiny module so the light screens (tracker, board) can tell
 * whether someone is signed in on this device without downloading supabase-js.
 */
export const AUTH_STORAGE_KEY = 'queuemed.auth';
