import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

// The gateway serves the built UI on the same origin as /graphql; in dev, Vite
// stands in for it and forwards the API to a gateway on :4000.
const gateway = 'http://127.0.0.1:4000';

export default defineConfig({
  plugins: [solid()],
  build: { outDir: 'dist', target: 'es2022', sourcemap: true },
  server: {
    proxy: {
      '/graphql': gateway,
      '/download': gateway,
      '/playground': gateway,
    },
  },
});
