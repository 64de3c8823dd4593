// Builds the browser side of the DTR app into ../wwwroot (committed, so that `dotnet run` and CI
// need neither Node nor the npm registry). Rebuild after changing anything here:
//
//     cd src/DtrApp/client && npm ci && npm run build
//
// The output is deterministic for the same sources and lock file. build-stamp.txt records a hash
// of those inputs; a test recomputes it and fails when the sources changed without a rebuild.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const here = new URL('.', import.meta.url).pathname;
const out = join(here, '..', 'wwwroot');

function shim(name) {
  return join(here, 'src/shims', name);
}

// cql-exec-fhir requires the model info of every FHIR version it knows; the app runs R4 (4.0.1) only.
const onlyFhirR4ModelInfo = {
  name: 'only-fhir-r4-model-info',
  setup(builder) {
    builder.onResolve({ filter: /fhir-modelinfo-(1\.0\.2|3\.0\.0|4\.0\.0)\.xml\.js$/ }, () => ({ path: shim('empty.js') }));
  },
};

rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: { app: join(here, 'src/app.jsx'), launch: join(here, 'src/launch.js'), style: join(here, 'src/app.css') },
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  platform: 'browser',
  outdir: out,
  assetNames: 'fonts/[name]-[hash]',
  loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file', '.svg': 'file' },
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
  legalComments: 'external',
  logLevel: 'warning',
  alias: { fs: shim('empty.js'), stream: shim('empty.js'), timers: shim('timers.js') },
  plugins: [onlyFhirR4ModelInfo],
});

writeFileSync(join(out, 'build-stamp.txt'), `${inputHash(here)}\n`);

/** SHA-256 over the build's inputs (sorted relative paths and contents, line endings normalised). */
export function inputHash(root) {
  const files = ['build.mjs', 'package.json', 'package-lock.json', ...walk(join(root, 'src')).map(f => relative(root, f))].sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(`${file.replaceAll('\\', '/')}\n`);
    hash.update(readFileSync(join(root, file), 'utf8').replaceAll('\r\n', '\n'));
    hash.update('\n');
  }
  return hash.digest('hex');
}

function walk(directory) {
  return readdirSync(directory).flatMap(name => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
