// TypeDoc plugin for the site's reading comfort:
//   - a sidebar two or three levels deep: "Guides" > guide, then one node per package (its README) whose
//     children are its main entry's exports, followed by one node per subpath named by its import path
//     ("@imauth/tencent/client") with that entry's exports, instead of package > "Modules" > entry > kind
//     group > export;
//   - search results show the import path ("@imauth/tencent/client › createTencentImClient"), not the
//     internal module name ("@imauth/tencent.client.createTencentImClient");
//   - the "On this page" list keeps inline code of headings (TypeDoc keeps only their plain text).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deflateSync, inflateSync } from "node:zlib";
import { DefaultTheme, PageEvent, ReflectionKind, RendererEvent } from "typedoc";

/** "index" is a package's main entry; any other entry module is a subpath of the package. */
function importPath(pkg, entry) {
  return entry === undefined || entry.name === "index" ? pkg.name : `${pkg.name}/${entry.name}`;
}

class ImauthTheme extends DefaultTheme {
  buildNavigation(project) {
    const link = (reflection, text = reflection.name) => ({
      text,
      path: this.router.getFullUrl(reflection),
      kind: reflection.kind,
      class: this.getReflectionClasses(reflection),
    });
    // TypeDoc's own order (kind, then name), without a level per kind.
    const exportsOf = (module) =>
      (module.groups ?? []).flatMap((group) => group.children).map((child) => link(child));
    const guides = { text: "Guides", children: project.documents?.map((doc) => link(doc)) ?? [] };
    const packages = (project.children ?? [])
      .filter((pkg) => pkg.kindOf(ReflectionKind.Module))
      .flatMap((pkg) => {
        const entries = (pkg.children ?? []).filter((child) => child.kindOf(ReflectionKind.Module));
        if (entries.length === 0) return [{ ...link(pkg), children: exportsOf(pkg) }];
        const main = entries.find((entry) => entry.name === "index");
        const subpaths = entries.filter((entry) => entry !== main);
        return [
          { ...link(pkg), children: main ? exportsOf(main) : [] },
          ...subpaths.map((entry) => ({
            ...link(entry, importPath(pkg, entry)),
            children: exportsOf(entry),
          })),
        ];
      });
    return [guides, ...packages];
  }
}

/** "@imauth/tencent.client.Api" -> "@imauth/tencent/client › Api", given the packages' entry names. */
function readableParent(parent, entriesOf) {
  const match = /^(@imauth\/[^.]+)(?:\.([^.]+))?(?:\.(.+))?$/.exec(parent);
  if (!match) return parent;
  const [, pkg, second, rest] = match;
  const entries = entriesOf.get(pkg) ?? new Set();
  if (second === undefined) return pkg;
  if (!entries.has(second)) return `${pkg} › ${[second, rest].filter(Boolean).join(".")}`;
  const path = second === "index" ? pkg : `${pkg}/${second}`;
  return rest ? `${path} › ${rest}` : path;
}

function rewriteSearch(outputDirectory, project) {
  const file = join(outputDirectory, "assets", "search.js");
  const text = readFileSync(file, "utf8");
  const encoded = /^window\.searchData = "([^"]+)";$/.exec(text.trim())?.[1];
  if (!encoded) throw new Error("assets/search.js does not have the expected form");
  const data = JSON.parse(inflateSync(Buffer.from(encoded, "base64")).toString("utf8"));
  const entriesOf = new Map(
    (project.children ?? []).map((pkg) => [
      pkg.name,
      new Set((pkg.children ?? []).filter((c) => c.kindOf(ReflectionKind.Module)).map((c) => c.name)),
    ]),
  );
  for (const row of data.rows) {
    if (row.parent) row.parent = readableParent(row.parent, entriesOf);
    // A package's entry module is found under its import path.
    if (row.kind === ReflectionKind.Module && row.parent && !row.parent.includes("›")) {
      row.name = importPath({ name: row.parent }, { name: row.name });
      delete row.parent;
    }
  }
  const packed = deflateSync(Buffer.from(JSON.stringify(data))).toString("base64");
  writeFileSync(file, `window.searchData = "${packed}";`);
}

/** Puts each heading's own HTML (inline code included) into its "On this page" link. */
function keepInlineCodeInToc(html) {
  const headings = new Map();
  for (const m of html.matchAll(
    /<h([1-6]) id="([^"]+)"[^>]*>([\s\S]*?)<a href="#\2"[^>]*class="tsd-anchor-icon"/g,
  )) {
    headings.set(m[2], m[3]);
  }
  return html.replace(
    /(<details open class="tsd-accordion tsd-page-navigation">[\s\S]*?<\/details>)/,
    (toc) =>
      toc.replace(/<a href="#([^"]+)"><span>[\s\S]*?<\/span><\/a>/g, (whole, id) =>
        headings.has(id) && headings.get(id).includes("<code>")
          ? `<a href="#${id}"><span>${headings.get(id)}</span></a>`
          : whole,
      ),
  );
}

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.renderer.defineTheme("imauth", ImauthTheme);
  app.renderer.on(RendererEvent.BEGIN, (event) => {
    app.renderer.postRenderAsyncJobs.push(async (end) => rewriteSearch(end.outputDirectory, event.project));
  });
  app.renderer.on(PageEvent.END, (page) => {
    if (page.contents) page.contents = keepInlineCodeInToc(page.contents);
  });
}
