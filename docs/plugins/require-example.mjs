// TypeDoc plugin: every exported function and class of every entry point must carry an `@example` in its doc
// comment (for functions, on at least one signature; a constant whose value is a function counts as a
// function). Constants, interfaces and type aliases need none: an example there is ceremony, so they are left
// to their prose. A missing one is a warning, which the site build treats as an error, so the API reference
// can never ship a callable without a usage example.
import { Converter, ReflectionKind } from "typedoc";

const CANDIDATE_KINDS = ReflectionKind.Function | ReflectionKind.Class | ReflectionKind.Variable;

/** Whether a reflection is something one calls or constructs: a function, a class, a function-valued constant. */
function isCallable(reflection) {
  if (reflection.kindOf(ReflectionKind.Function) || reflection.kindOf(ReflectionKind.Class)) return true;
  return (reflection.type?.declaration?.signatures?.length ?? 0) > 0;
}

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
    for (const reflection of context.project.getReflectionsByKind(CANDIDATE_KINDS)) {
      const parent = reflection.parent;
      if (!parent || !(parent.kindOf(ReflectionKind.Module) || parent.kindOf(ReflectionKind.Project)))
        continue;
      if (isCallable(reflection) && !hasExample(reflection))
        missing.push(`${context.project.name}: ${reflection.getFriendlyFullName()}`);
    }
    for (const name of missing.sort()) app.logger.warn(`${name} has no @example in its doc comment`);
  });
}
