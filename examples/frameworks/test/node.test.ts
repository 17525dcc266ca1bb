// Express, Fastify, Hono on @hono/node-server and the Next.js route handlers, each started on 127.0.0.1
// (port 0) in this process and sent every case of callbacks.ts over HTTP.
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, it } from "vitest";
import { CASES, ENV, expectCase } from "./callbacks.ts";

Object.assign(process.env, ENV);

interface Started {
  base: string;
  close: () => Promise<void>;
}

function fetchServer(fetch: (request: Request) => Response | Promise<Response>): Promise<Started> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: "127.0.0.1" }, (info) =>
      resolve({
        base: `http://127.0.0.1:${info.port}`,
        close: () => new Promise((done) => server.close(() => done())),
      }),
    );
  });
}

const servers: Record<string, () => Promise<Started>> = {
  async express() {
    const { app } = await import("../src/express.ts");
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    return {
      base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: () => new Promise((done) => server.close(() => done())),
    };
  },
  async fastify() {
    const { app } = await import("../src/fastify.ts");
    await app.listen({ port: 0, host: "127.0.0.1" });
    return {
      base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
      close: () => app.close(),
    };
  },
  async "hono (node)"() {
    const { default: app } = await import("../src/hono.ts");
    return fetchServer(app.fetch);
  },
  // Next.js gives a route handler the incoming request as a Fetch Request; a Fetch server on 127.0.0.1
  // routes to the two route modules the same way.
  async "next.js route handlers"() {
    const tencent = await import("../src/app/im/callback/route.ts");
    const netease = await import("../src/app/netease/callback/route.ts");
    return fetchServer((request) => {
      const { pathname } = new URL(request.url);
      if (pathname === "/im/callback") return tencent.POST(request);
      if (pathname === "/netease/callback") return netease.POST(request);
      return new Response(null, { status: 404 });
    });
  },
};

for (const [name, start] of Object.entries(servers)) {
  describe(name, () => {
    let started: Started;
    beforeAll(async () => {
      started = await start();
    });
    afterAll(() => started?.close());
    for (const c of CASES) it(c.name, () => expectCase(started.base, c));
  });
}
