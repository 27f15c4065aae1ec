// Bundles the dashboard into one folder the function app serves (Dashboard function, dashboard-assets/):
// index.html, app.css and favicon.svg copied, src/main.js and its imports (Chart.js, the annotation plugin) bundled by esbuild
// into app.js. Run by the Functions project's build (an MSBuild target with Inputs/Outputs); by hand:
//   node web/dashboard/build.mjs <output folder>
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2];
if (!out) {
  console.error('usage: node build.mjs <output folder>');
  process.exit(2);
}

await mkdir(out, { recursive: true });
await build({
  entryPoints: [join(here, 'src', 'main.js')],
  outfile: join(out, 'app.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022'],
  minify: true,
  legalComments: 'eof',
  logLevel: 'warning',
});
await copyFile(join(here, 'index.html'), join(out, 'index.html'));
await copyFile(join(here, 'app.css'), join(out, 'app.css'));
await copyFile(join(here, 'favicon.svg'), join(out, 'favicon.svg')); // served, so the browser's icon request is not a 404
console.log(`dashboard bundled into ${out}`);
