import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

// base './' because Electron loads the build from file://, where absolute asset paths break.
// The CSP in index.html forbids inline scripts and styles, so the dev server's HMR preamble
// is blocked too: iterate with `vite build --watch` against the headless host instead.
export default defineConfig({
  root: here('./renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: here('./dist/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    rollupOptions: {
      output: {
        // Vendor chunks change less often than app code, so they stay cached across builds.
        manualChunks(id) {
          if (!id.includes('node_modules')) return undefined;
          if (/[\\/](react|react-dom|scheduler|zustand|use-sync-external-store)[\\/]/.test(id)) return 'react';
          if (/[\\/](marked|dompurify|highlight\.js)[\\/]/.test(id)) return 'markdown';
          if (/[\\/]zod[\\/]/.test(id)) return 'zod';
          // Imported on first need (lib/math): a chunk of its own, not part of the start-up download.
          if (/[\\/]katex[\\/]/.test(id)) return 'katex';
          return 'vendor';
        },
      },
      onwarn(warning, warn) {
        // zod ships comments rollup cannot place; harmless, and noise in every build log.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules')) return;
        warn(warning);
      },
    },
  },
});
