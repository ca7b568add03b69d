// Explains the unexpected failures of one conformance run saved with -o DIR, so a failure in CI can be understood from
// its log alone: for each scenario the run marked failed (✗ in LOG) that expected-failures.yml does not list for LEG
// (server or client), the checks that failed or warned, with their messages, and what a client wrote to stderr. When
// nothing can be explained that way (the suite itself failed, a scenario saved nothing), the end of LOG.
// Usage: node failures.mjs DIR LOG expected-failures.yml LEG
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

const [dir, log, baseline, leg] = process.argv.slice(2);

// The names listed under "LEG:" in the baseline (a YAML list of "  - name" lines, or "LEG: []").
const expected = new Set();
let section = null;
for (const line of readFileSync(baseline, 'utf8').split('\n')) {
  const key = /^(\w+):/.exec(line);
  if (key) section = key[1];
  else if (section === leg && line.startsWith('  - ')) expected.add(line.slice(4).split(' ')[0]);
}

// Each saved scenario's folder, by name: the folder is the name (after "server-" for a server scenario) and a timestamp.
const saved = new Map();
function walk(folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const path = join(folder, entry.name);
    if (existsSync(join(path, 'checks.json')) || existsSync(join(path, 'stderr.txt'))) {
      const name = relative(dir, path).replace(/-\d{4}-\d{2}-\d{2}T[\d-]+Z$/, '').replace(/^server-/, '');
      saved.set(name, path);
    } else {
      walk(path);
    }
  }
}
if (existsSync(dir)) walk(dir);

const failed = [...new Set(readFileSync(log, 'utf8').split('\n')
  .map(line => /^✗ (\S+?):/.exec(line)?.[1]).filter(name => name && !expected.has(name)))];
let explained = 0;
for (const name of failed) {
  console.log(`  ✗ ${name}:`);
  const path = saved.get(name);
  if (!path) {
    console.log('      (no saved result)');
    continue;
  }
  const checksFile = join(path, 'checks.json');
  const checks = existsSync(checksFile) ? JSON.parse(readFileSync(checksFile, 'utf8')) : [];
  for (const check of checks.filter(c => c.status === 'FAILURE' || c.status === 'WARNING')) {
    console.log(`      ${check.status} ${check.id}: ${check.errorMessage ?? check.description ?? ''}`.slice(0, 400));
    explained++;
  }
  const stderr = join(path, 'stderr.txt');
  if (existsSync(stderr)) {
    for (const line of readFileSync(stderr, 'utf8').split('\n').filter(l => l.trim()).slice(0, 10)) {
      console.log(`      stderr: ${line}`.slice(0, 400));
      explained++;
    }
  }
}
if (explained === 0) {
  console.log(`  the end of ${log}:`);
  for (const line of readFileSync(log, 'utf8').split('\n').slice(-20)) console.log(`      ${line}`.slice(0, 400));
}
