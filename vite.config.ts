import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { precompressAndStamp, routePreload } from './scripts/viteBuildPlugins';

export default defineConfig({
  plugins: [react(), tailwindcss(), routePreload(), precompressAndStamp()],
  // QueueMed keeps no files in Supabase Storage: supabase-js's eager storage client is an inert stand-in in the
  // browser build (7 KiB gz off every signed-in screen; src/services/composition/noStorage.ts, issue 14)
  resolve: {
    alias: [
      {
        find: /^@supabase\/storage-js$/,
        replacement: fileURLToPath(new URL('./src/services/composition/noStorage.ts', import.meta.url)),
      },
      // Realtime loads when the first channel subscribes, after the screen's first render (14.6 KiB gz off every
      // signed-in screen's first load; src/services/composition/lazyRealtime.ts, issue 14)
      {
        find: /^@supabase\/realtime-js$/,
        replacement: fileURLToPath(new URL('./src/services/composition/lazyRealtime.ts', import.meta.url)),
      },
    ],
  },
  build: { outDir: 'dist', sourcemap: true, manifest: true, chunkSizeWarningLimit: 700 },
});
