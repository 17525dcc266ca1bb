#!/usr/bin/env node
// Serves the built site (docs/site) on loopback and checks it in headless Chromium: the index renders, the
// guides are linked and open, searching for `genUserSig` finds its page and shows import paths, every package
// is there, the sidebar is at most three levels deep, every "On this page" entry reads as its heading, and no
// page logs an error or fails a request. The landing page, an API page and a guide are screenshotted (at 1280
// and 390 pixels wide) and checked: not blank, no horizontal overflow, their example visible. Screenshots go
// to docs/site/screenshots/ (the landing page also to docs/screenshot.png).
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { inflateSync } from "node:zlib";
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

const shots = join(site, "screenshots");
mkdirSync(shots, { recursive: true });

/** The fraction of a screenshot's pixels that differ from its most common colour, measured in the browser. */
async function inkRatio(context, png) {
  const page = await context.newPage();
  try {
    return await page.evaluate(async (b64) => {
      const image = new Image();
      image.src = `data:image/png;base64,${b64}`;
      await image.decode();
      const canvas = document.createElement("canvas");
      canvas.width = image.width;
      canvas.height = image.height;
      const ctx = canvas.getContext("2d");
      ctx.drawImage(image, 0, 0);
      const { data } = ctx.getImageData(0, 0, image.width, image.height);
      const counts = new Map();
      for (let i = 0; i < data.length; i += 4) {
        const key = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      const top = Math.max(...counts.values());
      return 1 - top / (data.length / 4);
    }, png.toString("base64"));
  } finally {
    await page.close();
  }
}

/**
 * Opens `path` at two widths, screenshots it, and checks that it is not blank, does not scroll sideways and
 * shows `example` (a code block containing that text) on screen.
 */
async function screenshotCheck(context, page, name, path, example) {
  for (const [width, height] of [
    [1280, 900],
    [390, 844],
  ]) {
    await page.setViewportSize({ width, height });
    await page.goto(base + path);
    await page.waitForLoadState("networkidle");
    const code = page.locator("pre", { hasText: example }).first();
    await code.scrollIntoViewIfNeeded();
    assert(await code.isVisible(), `${name} (${width} px): the example with "${example}" is not visible`);
    const box = await code.boundingBox();
    assert(box && box.width > 100 && box.height > 40, `${name} (${width} px): the example is squashed`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert(overflow <= 0, `${name} (${width} px): the page scrolls ${overflow} px sideways`);
    const png = await page.screenshot({ path: join(shots, `${name}-${width}.png`), fullPage: false });
    const ink = await inkRatio(context, png);
    assert(ink > 0.02, `${name} (${width} px): the screenshot is blank (${(ink * 100).toFixed(1)} % ink)`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** The sidebar's tree, from the site's own navigation data. */
function navigationTree() {
  const text = readFileSync(join(site, "assets", "navigation.js"), "utf8");
  const encoded = /"([A-Za-z0-9+/=]{20,})"/.exec(text)?.[1];
  assert(encoded, "assets/navigation.js has no navigation data");
  return JSON.parse(inflateSync(Buffer.from(encoded, "base64")).toString("utf8"));
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
    for (const name of [
      "@imauth/core",
      "@imauth/tencent",
      "@imauth/netease",
      "@imauth/agora",
      "@imauth/rongcloud",
      "@imauth/easemob",
      "@imauth/legacy-ecdsa",
    ]) {
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

  await check("the landing page: not blank, no sideways scroll, both vendors' examples visible", async () => {
    await screenshotCheck(browser.context, page, "landing", "", "createTencentProvider");
    await screenshotCheck(browser.context, page, "landing-netease", "", "createNeteaseProvider");
  });

  await check("an API page (genUserSig): not blank, no sideways scroll, its example visible", async () => {
    const path = readdirSync(join(site, "functions")).find((f) =>
      /^_imauth_tencent\.(index\.)?genUserSig\.html$/.test(f),
    );
    assert(path, "the genUserSig page is missing");
    await screenshotCheck(browser.context, page, "api-genUserSig", `functions/${path}`, "genUserSig(");
  });

  await check("a guide (Verifying callbacks): not blank, no sideways scroll, a recipe visible", async () => {
    await screenshotCheck(
      browser.context,
      page,
      "guide-callbacks",
      "documents/Verifying_callbacks.html",
      "express.raw",
    );
  });

  await check("the landing page links every package, the CLI included", async () => {
    await page.goto(base);
    await page.waitForLoadState("networkidle");
    for (const name of [
      "@imauth/core",
      "@imauth/tencent",
      "@imauth/netease",
      "@imauth/agora",
      "@imauth/rongcloud",
      "@imauth/easemob",
      "@imauth/legacy-ecdsa",
      "@imauth/cli",
    ]) {
      const link = page.locator(".col-content table a", { hasText: name }).first();
      assert(await link.count(), `${name} is not a link in the package table`);
      const href = await link.getAttribute("href");
      assert(href && !href.startsWith("http"), `${name} links to ${href}`);
      const response = await page.request.get(new URL(href, base).href);
      assert(response.ok(), `${name}'s link ${href} answers ${response.status()}`);
    }
  });

  await check(
    "the sidebar is at most three levels deep, with import paths and guide titles as names",
    async () => {
      const tree = navigationTree();
      const depth = (nodes) => Math.max(0, ...nodes.map((n) => 1 + depth(n.children ?? [])));
      assert(depth(tree) <= 3, `the sidebar is ${depth(tree)} levels deep`);
      const names = tree.map((n) => n.text);
      for (const name of ["Guides", "@imauth/tencent", "@imauth/tencent/client", "@imauth/netease/testing"]) {
        assert(names.includes(name), `the sidebar has no top-level "${name}" (it has ${names.join(", ")})`);
      }
      assert(
        !names.some((n) => /\.(index|client|testing)$/.test(n)),
        `internal module names: ${names.join(", ")}`,
      );
    },
  );

  await check("search results show the import path", async () => {
    await page.goto(base);
    await page.waitForLoadState("networkidle");
    await page.locator("#tsd-search-trigger").click();
    await page.locator("#tsd-search-input").fill("createTencentImClient");
    const hit = page.locator("#tsd-search-results li", { hasText: "createTencentImClient" }).first();
    await hit.waitFor({ timeout: 15_000 });
    const text = (await hit.textContent()).replace(/\s+/g, " ").trim();
    assert(text.includes("@imauth/tencent/client"), `the result reads "${text}"`);
    assert(!text.includes(".client."), `the result shows an internal module name: "${text}"`);
  });

  await check('every guide\'s "On this page" entries read as their headings (inline code kept)', async () => {
    for (const file of readdirSync(join(site, "documents"))) {
      await page.goto(`${base}documents/${file}`);
      await page.waitForLoadState("networkidle");
      const pairs = await page.evaluate(() =>
        [...document.querySelectorAll(".tsd-page-navigation a[href^='#']")].map((a) => {
          const id = decodeURIComponent(a.getAttribute("href").slice(1));
          return [a.textContent.trim(), document.getElementById(id)?.textContent.trim()];
        }),
      );
      const wrong = pairs.filter(([entry, heading]) => heading !== undefined && entry !== heading);
      assert(wrong.length === 0, `${file}: ${wrong.map(([e, h]) => `"${e}" for "${h}"`).join(", ")}`);
    }
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
