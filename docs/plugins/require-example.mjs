// TypeDoc plugin: every exported symbol of every entry point must carry an `@example` in its doc comment
// (for functions, on at least one signature). A missing one is a warning, which the site build treats as an
// error, so the API reference can never ship a symbol without a usage example.
import { Converter, ReflectionKind } from "typedoc";

const EXPORT_KINDS =
  ReflectionKind.Function |
  ReflectionKind.Class |
  ReflectionKind.Interface |
  ReflectionKind.TypeAlias |
  ReflectionKind.Variable |
  ReflectionKind.Enum |
  ReflectionKind.Namespace;

function hasExample(reflection) {
  const comments = [reflection.comment, ...(reflection.signatures ?? []).map((s) => s.comment)];
  if (reflection.type?.declaration?.signatures) {
    comments.push(...reflection.type.declaration.signatures.map((s) => s.comment));
  }
  return comments.some((c) => c?.blockTags.some((t) => t.tag === "@example"));
}

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    const missing = [];
    for (const reflection of context.project.getReflectionsByKind(EXPORT_KINDS)) {
      const parent = reflection.parent;
      if (!parent || !(parent.kindOf(ReflectionKind.Module) || parent.kindOf(ReflectionKind.Project)))
        continue;
      if (!hasExample(reflection))
        missing.push(`${context.project.name}: ${reflection.getFriendlyFullName()}`);
    }
    for (const name of missing.sort()) app.logger.warn(`${name} has no @example in its doc comment`);
  });
}
