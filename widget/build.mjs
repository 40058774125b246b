// Builds dist/backcare-widget.js: src/ and socket.io-client in one file, so a
// clinic needs a single <script> tag. Deterministic (no timestamps, no
// absolute paths), so `npm ci && npm run build` reproduces it byte for byte.
import { build } from "esbuild";
import { mkdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outdir = join(here, "dist");

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
await build({
  absWorkingDir: here,
  entryPoints: ["src/index.js"],
  outfile: join(outdir, "backcare-widget.js"),
  bundle: true,
  format: "iife",
  platform: "browser",
  target: ["es2020", "chrome90", "firefox90", "safari14"],
  minify: true,
  legalComments: "eof",
  loader: { ".css": "text" },
  logLevel: "warning",
});
console.log("built widget/dist/backcare-widget.js");
