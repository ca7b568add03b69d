// Prints, for each scenario of a conformance run saved with -o DIR, the checks that failed (their id and message) and,
// for a client scenario, what the client wrote to stderr, so a failure in CI can be understood from its log alone.
// Scenarios named in expected-failures.yml are left out. Usage: node failures.mjs DIR expected-failures.yml
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

const [dir, baseline] = process.argv.slice(2);
const expected = new Set(readFileSync(baseline, 'utf8').split('\n')
  .filter(line => line.startsWith('  - ')).map(line => line.slice(4).split(' ')[0]));

function* scenarios(folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const path = join(folder, entry.name);
    if (existsSync(join(path, 'checks.json'))) yield path; else yield* scenarios(path);
  }
}

for (const path of existsSync(dir) ? scenarios(dir) : []) {
  // A result folder is the scenario's name and a timestamp: auth/scope-step-up-2026-12-02T06-48-13-050Z.
  const name = relative(dir, path).replace(/-\d{4}-\d{2}-\d{2}T[\d-]+Z$/, '');
  if (expected.has(name)) continue;
  const failed = JSON.parse(readFileSync(join(path, 'checks.json'), 'utf8')).filter(c => c.status === 'FAILURE');
  if (failed.length === 0) continue;
  console.log(`  ✗ ${name}:`);
  for (const check of failed) console.log(`      ${check.id}: ${check.errorMessage ?? check.description ?? ''}`.slice(0, 400));
  const stderr = join(path, 'stderr.txt');
  if (existsSync(stderr)) {
    for (const line of readFileSync(stderr, 'utf8').split('\n').filter(l => l.trim()).slice(0, 10)) console.log(`      stderr: ${line}`.slice(0, 400));
  }
}
