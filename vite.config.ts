import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { precompressAndStamp, routePreload } from './scripts/viteBuildPlugins';

export default defineConfig({
  plugins: [react(), tailwindcss(), routePreload(), precompressAndStamp()],
  build: { outDir: 'dist', sourcemap: true, manifest: true, chunkSizeWarningLimit: 700 },
});
