/// <reference types="vitest/config" />
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, loadEnv, searchForWorkspaceRoot, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// The Go binary embeds dist/ (dashboard/embed.go); dist/.gitkeep is committed so
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
  // Where `npm run dev` sends /graphql (HTTP and websocket).
  const target = env.PRIZEQUIZ_API ?? process.env.PRIZEQUIZ_API ?? 'http://localhost:8080';
  const targetOrigin = new URL(target).origin;

  return {
    base: '/admin/',
    plugins: [react(), keepGitkeep()],
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      chunkSizeWarningLimit: 1500,
      rolldownOptions: {
        output: {
          codeSplitting: {
            groups: [
              { name: 'echarts', test: /node_modules[\\/](echarts|zrender)/ },
              { name: 'antd', test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[a-z-]+)[\\/]/ },
              { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|scheduler)[\\/]/ },
            ],
          },
        },
      },
    },
    server: {
      port: Number(env.PORT ?? 5173),
      // The draw-proof tests read the Go side's golden vectors (?raw imports).
      fs: { allow: [searchForWorkspaceRoot(process.cwd()), resolve(import.meta.dirname, '..', 'internal', 'draw', 'testdata')] },
      proxy: {
        '/api': { target, changeOrigin: true },
        '/graphql': {
          target,
          changeOrigin: true,
          ws: true,
          configure(proxy) {
            // The server accepts websockets only from its own origin (plus
            // --allowed-origins); present the proxied upgrade as same-origin.
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
      include: ['src/**/*.test.{ts,tsx}', 'integration/**/*.test.ts'],
      testTimeout: 20000,
    },
  };
});
