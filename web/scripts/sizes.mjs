// Reports every built chunk's size and fails when the initial JavaScript (the entry and what
// index.html preloads) passes the budget. Usage: node scripts/sizes.mjs [budget KB gzip]
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const dist = new URL("../dist/", import.meta.url).pathname;
const budgetKb = Number(process.argv[2] ?? 150);
const html = readFileSync(join(dist, "index.html"), "utf8");
const initial = new Set([...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]));
const rows = readdirSync(join(dist, "assets"))
  .filter((name) => name.endsWith(".js") || name.endsWith(".css"))
  .map((name) => {
    const bytes = readFileSync(join(dist, "assets", name));
    return { name: `assets/${name}`, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  })
  .sort((a, b) => b.gzip - a.gzip);
const kb = (n) => (n / 1024).toFixed(1).padStart(7);
console.log("chunk".padEnd(44), "   raw KB", "  gzip KB", " initial");
for (const row of rows) {
  console.log(row.name.padEnd(44), kb(row.raw), "  ", kb(row.gzip), initial.has(row.name) ? "  yes" : "");
}
const initialGzip = rows.filter((r) => initial.has(r.name)).reduce((sum, r) => sum + r.gzip, 0);
console.log(`initial JavaScript: ${kb(initialGzip).trim()} KB gzip (budget ${budgetKb} KB)`);
if (initialGzip > budgetKb * 1024) {
  console.error("initial JavaScript is over budget: split a route or drop a dependency");
  process.exit(1);
}
