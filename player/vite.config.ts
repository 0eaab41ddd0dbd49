/// <reference types="vitest/config" />
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, loadEnv, type Plugin } from 'vite';

// The Go binary embeds dist/ (player/embed.go); dist/.gitkeep is committed so
// `go build` works without Node. Vite empties dist/ before a build, so put the
// placeholder back afterwards.
function keepGitkeep(): Plugin {
  return {
    name: 'prizequiz-keep-gitkeep',
    apply: 'build',
    closeBundle() {
      const dir = resolve(import.meta.dirname, 'dist');
      mkdirSync(dir, { recursive: true });
      writeFileSync(resolve(dir, '.gitkeep'), '');
    },
  };
}

export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, process.cwd(), '');
  // Where `npm run dev` sends /graphql and /api (HTTP and websocket).
  const target = env.PRIZEQUIZ_API ?? process.env.PRIZEQUIZ_API ?? 'http://localhost:8080';
  const targetOrigin = new URL(target).origin;

  return {
    // Served by Go at /play (the quiz) and /proof/{periodID} (a draw's proof).
    base: '/play/',
    plugins: [keepGitkeep()],
    oxc: {
      jsx: { runtime: 'automatic', importSource: 'preact' },
    },
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      target: 'es2020',
      // The proof page's BLS code is a chunk of its own, loaded only there.
      chunkSizeWarningLimit: 200,
    },
    server: {
      port: Number(env.PORT ?? 5174),
      proxy: {
        '/api': { target, changeOrigin: true },
        '/graphql': {
          target,
          changeOrigin: true,
          ws: true,
          configure(proxy) {
            // The server accepts websockets only from its own origin.
            proxy.on('proxyReqWs', (proxyReq) => {
              proxyReq.setHeader('origin', targetOrigin);
            });
          },
        },
      },
    },
    test: {
      environment: 'jsdom',
      globals: true,
      setupFiles: ['./src/test/setup.ts'],
      css: false,
      include: ['src/**/*.test.{ts,tsx}'],
      testTimeout: 30000,
    },
  };
});
