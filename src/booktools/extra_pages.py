"""Pages the site writes itself: ``404.html`` and the front-door ``index.html``
(used by :mod:`booktools.site` at build-finished)."""

from __future__ import annotations

import html
from pathlib import Path

NOT_FOUND = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{description}">
<meta name="robots" content="noindex">
<title>Page not found - {title}</title>
<style>
  :root {{ color-scheme: light dark; }}
  body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0;
         line-height: 1.5; background: #fff; color: #222; }}
  main {{ max-width: 36rem; margin: 12vh auto; padding: 0 1.25rem; }}
  .rw-home-logo {{ margin-bottom: 1rem; }}
  .rw-home-logo svg {{ display: block; width: 72px; height: 72px; }}
  a {{ color: #0a58ca; }}
  @media (prefers-color-scheme: dark) {{
    body {{ background: #121212; color: #e6e6e6; }}  a {{ color: #8ab4f8; }} }}
</style>
</head>
<body>
<main>
<div class="rw-home-logo" aria-hidden="true">{logo}</div>
<h1>Page not found</h1>
<p>There is no page at this address in <em>{title}</em>. It may have moved when the book
was reorganised.</p>
<p><a class="rw-home" href="index.html">Go to the front page</a> or use the table of contents
there; the search box finds any term in the book.</p>
</main>
<script>
/* GitHub Pages serves this page for a missing path at any depth: point the link and the icon
   at the root. The logo is inline SVG, so no relative request can break at a deep path. */
(function () {{
  var base = {base_path};
  var path = window.location.pathname;
  var root = path.indexOf(base) === 0 ? base : "/";
  if (window.location.protocol === "file:") return;
  document.querySelector("a.rw-home").href = root + "index.html";
  var icon = document.createElement("link");
  icon.rel = "icon"; icon.href = root + "_static/logo.svg";
  document.head.appendChild(icon);
}})();
</script>
</body>
</html>
"""


INDEX = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<meta name="description" content="{description}">
<link rel="canonical" href="{canonical}">
<link rel="icon" href="_static/logo.svg">
<meta http-equiv="refresh" content="0; url={first}">
</head>
<body>
<main><p><a href="{first}">{title}</a></p></main>
</body>
</html>
"""


def write_index(app, outdir: Path, description: str) -> None:
    """The site's front door: a small page that forwards to the book's first page (what
    sphinx-external-toc writes is a bare meta refresh, without title or description)."""
    root = app.config.root_doc
    if root == "index" or "index" in app.env.all_docs:
        return
    first = app.builder.get_target_uri(root)
    baseurl = app.config.html_baseurl or ""
    title = html.escape(str(app.config.html_title or app.config.project))
    (outdir / "index.html").write_text(
        INDEX.format(
            lang=html.escape(app.config.language or "en"),
            title=title,
            first=first,
            canonical=html.escape(baseurl.rstrip("/") + "/" + first if baseurl else first),
            description=html.escape(description),
        ),
        encoding="utf-8",
    )
