/// <reference types="vitest/config" />
// The portal's build: one entry, routes split into their own chunks (see src/routes.tsx).
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [react()],
  build: {
    target: "es2022",
    sourcemap: false,
    // Budget: the initial JavaScript stays under 150 KB gzip (reported by make web).
    chunkSizeWarningLimit: 450,
  },
  server: {
    port: 5173,
    strictPort: true,
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./src/test/setup.ts"],
    css: false,
    testTimeout: 30_000, // a shared CI machine types slowly; nothing here waits on a clock
  },
});
