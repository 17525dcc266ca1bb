import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

/** A fetch-style handler, the shape of the app and of the vendor emulators alike. */
export type Handler = (request: Request) => Promise<Response>;

/** A handler served over HTTP on loopback. */
export interface Served {
  /** The base URL, e.g. `http://127.0.0.1:53211/`. */
  url: string;
  close(): Promise<void>;
}

/** Serves a fetch-style handler with node:http on 127.0.0.1 (`port` 0 picks a free port). */
export async function serve(handler: Handler, port = 0): Promise<Served> {
  const server = createServer((req, res) => {
    toRequest(req)
      .then(handler)
      .then((response) => send(res, response))
      .catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error instanceof Error ? error.message : error));
      });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("server has no TCP address");
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function toRequest(req: IncomingMessage): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(`http://${req.headers.host ?? "127.0.0.1"}${req.url ?? "/"}`, {
    method: req.method ?? "GET",
    headers,
    ...(hasBody ? { body: Buffer.concat(chunks) } : {}),
  });
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => {
    res.setHeader(name, value);
  });
  res.end(Buffer.from(await response.arrayBuffer()));
}
