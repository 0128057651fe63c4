// Copy the MathJax 3 bundle the book uses (tex-mml-chtml) and the folders it loads on demand
// from node_modules into _vendor/mathjax, which Sphinx copies to the site root
// (html_extra_path). Nothing is fetched from a CDN when the book is read.
const fs = require("fs");
const path = require("path");

const src = path.join(__dirname, "..", "node_modules", "mathjax", "es5");
const dst = path.join(__dirname, "..", "_vendor", "mathjax");
const keep = ["tex-mml-chtml.js", "input", "output", "a11y", "sre", "ui", "adaptors"];

if (!fs.existsSync(path.join(src, "tex-mml-chtml.js"))) {
  console.error(`vendor-mathjax: ${src}/tex-mml-chtml.js is missing; run npm ci first`);
  process.exit(1);
}
fs.rmSync(dst, { recursive: true, force: true });
fs.mkdirSync(dst, { recursive: true });
for (const name of keep) {
  const from = path.join(src, name);
  if (fs.existsSync(from)) fs.cpSync(from, path.join(dst, name), { recursive: true });
}
console.log(`vendor-mathjax: copied ${keep.length} entries to ${path.relative(process.cwd(), dst)}`);
