import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

/** The chart library stays in the delivery log's own chunk. */
const CHART = /chart\.js|vue-chartjs|@kurkle/;

// The API serves dist/ at `/`; in development vite serves the panel and forwards GraphQL to a local API.
export default defineConfig({
  plugins: [vue()],
  define: {
    // Apollo Client's development checks and warnings are compiled out of the production bundle.
    'globalThis.__DEV__': JSON.stringify(false),
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'true',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
    __INTLIFY_DROP_MESSAGE_COMPILER__: 'false',
  },
  // The shared provider rules come from the workspace's mailer-core as CommonJS: the dev server turns them
  // into an ES module like any other dependency (the build does so by itself).
  optimizeDeps: { include: ['@mail-providers/mailer-core/rules'] },
  server: {
    host: '127.0.0.1',
    proxy: {
      // API_URL points at an API started elsewhere (another port, another machine).
      '/graphql': { target: process.env.API_URL ?? 'http://127.0.0.1:4000', changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    rolldownOptions: {
      output: {
        // Code shared by the first screen and the lazy pages (Vue, the router, i18n, Apollo) gets its own,
        // recognisable, long-cached chunk.
        codeSplitting: {
          groups: [{ name: 'vendor', test: (id: string) => id.includes('node_modules') && !CHART.test(id) }],
        },
      },
    },
  },
});
