// Serves a recipe's default export under Bun on 127.0.0.1 (port 0) and prints where: what `bun fetch.ts`
// does, without binding every interface.
const { default: handler } = await import(process.argv[2]);
const server = globalThis.Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: handler.fetch });
console.log(`listening on http://127.0.0.1:${server.port}/`);
