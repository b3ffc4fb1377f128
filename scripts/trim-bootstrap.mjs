// Writes static/vendor/bootstrap/bootstrap.used.min.css: Bootstrap's stylesheet with only the rules whose classes
// our templates, scripts and Python code use (PurgeCSS), so the phone pages ship no unused CSS. Run `make trim-css`
// after using a Bootstrap class no page used before; tests/core/test_trimmed_css.py fails until you do.
// Dev-time only (npm's purgecss); the result is committed, so neither `make run` nor production needs Node.js.
import { PurgeCSS } from "purgecss";
import fs from "fs";
import path from "path";
import { execSync } from "child_process";

// the project's root: the first argument (`make trim-css` runs this from var/trim, where npm put purgecss)
const root = path.resolve(process.argv[2] || new URL("..", import.meta.url).pathname) + "/";
const site = execSync(`${root}.venv/bin/python -c "import sysconfig; print(sysconfig.get_paths()['purelib'])"`)
  .toString().trim();
const apps = fs.readdirSync(root).filter((d) => fs.existsSync(`${root}${d}/apps.py`) || d === "config");
const [result] = await new PurgeCSS().purge({
  content: [
    `${root}templates/**/*.html`, `${root}templates/**/*.js`, `${root}static/js/*.js`,
    ...apps.map((app) => `${root}${app}/**/*.py`),
    `${site}/django_tables2/templates/django_tables2/*.html`,
    `${site}/django/forms/templates/django/forms/**/*.html`,
    `${site}/django_filters/templates/**/*.html`,
  ],
  css: [`${root}static/vendor/bootstrap/bootstrap.min.css`],
  safelist: {
    // classes Bootstrap's own JavaScript sets (collapse, dropdown, modal, offcanvas, tooltips) and form validation
    standard: [/^show$/, /^showing$/, /^hiding$/, /^fade$/, /^collaps/, /^modal/, /^dropdown/, /^offcanvas/,
               /^tooltip/, /^popover/, /^bs-/, /^was-validated$/, /^is-(in)?valid$/, /^active$/, /^disabled$/],
    greedy: [/data-bs/],
  },
  keyframes: true, fontFace: true, variables: false,
});
fs.writeFileSync(`${root}static/vendor/bootstrap/bootstrap.used.min.css`,
  "/* Bootstrap 5.3.8 (MIT, see LICENSE), trimmed to the classes this product uses by scripts/trim-bootstrap.mjs */\n"
  + result.css + "\n");
