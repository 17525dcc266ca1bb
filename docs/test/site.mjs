#!/usr/bin/env node
// Serves the built site (docs/site) on loopback and checks it in headless Chromium: the index renders, the
// guides are linked and open, searching for `genUserSig` finds its page, every package is there, and no page
// logs an error or fails a request. Saves a screenshot of the index to docs/screenshot.png.
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../../scripts/chromium.mjs";

const docs = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const site = join(docs, "site");
const config = JSON.parse(readFileSync(join(docs, "typedoc.json"), "utf8"));
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".png": "image/png",
};

if (!existsSync(join(site, "index.html"))) {
  console.error("docs/site/index.html is missing: build the site first (pnpm docs)");
  process.exit(1);
}

const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(
    /^(\.\.[/\\])+/,
    "",
  );
  if (path === "/favicon.ico") return res.writeHead(204).end();
  let file = join(site, path);
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
  if (!file.startsWith(site) || !existsSync(file)) return res.writeHead(404).end("not found");
  res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
  res.end(readFileSync(file));
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}/`;

const results = [];
const errors = [];
async function check(name, fn) {
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`ok   ${name}`);
  } catch (error) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}: ${error.message.split("\n")[0]}`);
  }
}
function assert(condition, message) {
  if (!condition) throw new Error(message);
}

const browser = await launchChromium();
const watchdog = setTimeout(() => {
  console.error("docs site test timed out after 180 s");
  process.exit(1);
}, 180_000);
try {
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  await page.setViewportSize({ width: 1280, height: 900 });
  page.on("pageerror", (e) => errors.push(`page error at ${page.url()}: ${e.message}`));
  page.on(
    "console",
    (m) => m.type() === "error" && errors.push(`console error at ${page.url()}: ${m.text()}`),
  );
  page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()}`));
  page.on("response", (r) => r.status() >= 400 && errors.push(`HTTP ${r.status()}: ${r.url()}`));

  await check("the index renders with the project name and the guides' introduction", async () => {
    await page.goto(base);
    await page.waitForLoadState("networkidle");
    assert((await page.title()).includes("imauth"), `title is ${await page.title()}`);
    const heading = await page.locator(".tsd-panel.tsd-typography h1, .col-content h1").first().textContent();
    assert(heading?.includes("imauth"), `first heading is ${heading}`);
    await page.screenshot({ path: join(docs, "screenshot.png"), fullPage: false });
  });

  const guides = config.projectDocuments.map((g) => ({
    file: g,
    title: readFileSync(join(docs, g), "utf8")
      .match(/^title:\s*(.+)$/m)?.[1]
      ?.trim()
      .replace(/^"(.*)"$/, "$1"),
  }));
  await check(`the index links every guide (${guides.length})`, async () => {
    for (const g of guides) {
      assert(g.title, `${g.file} has no title in its front matter`);
      const link = page.locator(".col-content a", { hasText: g.title }).first();
      await link.waitFor({ state: "visible", timeout: 10_000 });
    }
  });

  await check("every guide opens and renders its heading", async () => {
    for (const g of guides) {
      await page.goto(base);
      await page.locator(".col-content a", { hasText: g.title }).first().click();
      await page.waitForLoadState("networkidle");
      assert(page.url().includes("/documents/"), `${g.title} opened ${page.url()}`);
      const h1 = await page.locator(".col-content h1").first().textContent();
      assert(h1 && h1.length > 3, `${g.title} has no heading`);
      const text = await page.locator(".col-content").first().textContent();
      assert(text.length > 400, `${g.title} is nearly empty (${text.length} characters)`);
    }
  });

  await check("every package is in the navigation", async () => {
    await page.goto(base);
    await page.waitForLoadState("networkidle");
    const html = await page.content();
    for (const name of ["@imauth/core", "@imauth/tencent", "@imauth/netease", "@imauth/legacy-ecdsa"]) {
      assert(html.includes(name), `${name} is missing`);
    }
  });

  await check("searching for genUserSig finds its page", async () => {
    await page.goto(base);
    await page.waitForLoadState("networkidle");
    await page.locator("#tsd-search-trigger").click();
    await page.locator("#tsd-search-input").fill("genUserSig");
    // The function itself, not GenUserSigOptions or the compat class's method.
    const hit = page.locator('#tsd-search-results a[href*="functions/"][href$=".genUserSig.html"]').first();
    await hit.waitFor({ timeout: 15_000 });
    await hit.click();
    await page.waitForLoadState("networkidle");
    assert(/functions\/.*\.genUserSig\.html/.test(page.url()), `search opened ${page.url()}`);
    const h1 = await page.locator(".col-content h1, .tsd-page-title h1").first().textContent();
    assert(h1?.includes("genUserSig"), `page heading is ${h1}`);
    const body = await page.locator(".col-content").first().textContent();
    assert(body.includes("Example"), "the genUserSig page shows an example");
  });

  await check("no page logged an error or failed a request", async () => {
    assert(errors.length === 0, errors.slice(0, 5).join("; "));
  });
} finally {
  clearTimeout(watchdog);
  await browser.close();
  server.close();
}

const failed = results.filter((r) => !r.ok).length;
console.log(
  `\ndocs site: ${results.length - failed} passed, ${failed} failed (screenshot: docs/screenshot.png)`,
);
process.exitCode = failed ? 1 : 0;
