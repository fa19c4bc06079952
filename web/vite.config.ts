// Vite builds web/dist: relative asset paths (the server mounts the folder at /), no inline
// script (the server's Content-Security-Policy forbids it) and no modulepreload polyfill.
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1200,
    sourcemap: false,
  },
});
