import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Secret } from "@imauth/core";
import { describe, expect, it } from "vitest";
import { createEasemobImClient } from "../src/client/index.js";
import { createEasemobProvider } from "../src/index.js";
import { createEasemobEmulator } from "../src/testing/index.js";
import { appName, clientId, clientSecret, orgName, setup, T0 } from "./helpers.js";

const base = `https://a1.easemob.com/${orgName}/${appName}/`;
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  new Request(base + path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

describe("createEasemobEmulator", () => {
  it("token endpoint: refuses wrong client credentials, unknown grants, bad ttl and bad JSON", async () => {
    const { emulator } = setup();
    const answers = await Promise.all([
      emulator.fetch(
        post("token", { grant_type: "client_credentials", client_id: clientId, client_secret: "x" }),
      ),
      emulator.fetch(post("token", { grant_type: "password", username: "a", password: "b" })),
      emulator.fetch(
        post("token", {
          grant_type: "client_credentials",
          client_id: clientId,
          client_secret: clientSecret,
          ttl: -1,
        }),
      ),
      emulator.fetch(post("token", "{")),
      emulator.fetch(post("token", { grant_type: "inherit", username: "alice" })),
      emulator.fetch(
        new Request(`https://a1.easemob.com/other/${appName}/token`, { method: "POST", body: "{}" }),
      ),
    ]);
    expect(answers.map((a) => a.status)).toEqual([401, 400, 400, 400, 401, 404]);
    expect(await answers[0]!.json()).toMatchObject({
      error: "invalid_client",
      exception: expect.any(String),
    });
    expect(emulator.calls.map((c) => c.vendorCode)).toEqual([401, 400, 400, 400, 401, 404]);
  });

  it("ttl 0 never expires; tokens expire on the emulator's clock; revoke and reset forget them", async () => {
    const { emulator, provider, mc } = setup();
    const appToken = await provider.getAppToken();
    const bearer = { authorization: `Bearer ${appToken}` };
    const forever = await emulator.fetch(
      post("token", { grant_type: "inherit", username: "Eve", autoCreateUser: true, ttl: 0 }, bearer),
    );
    const { access_token: token, expires_in } = (await forever.json()) as {
      access_token: string;
      expires_in: number;
    };
    expect(expires_in).toBe(0);
    mc.advance(10 ** 12);
    expect(emulator.acceptsLogin("EVE", token)).toBe(true);
    expect(() => emulator.verifyLogin("frank", token)).toThrow(
      expect.objectContaining({ code: "ERR_USER_MISMATCH" }),
    );
    await expect(emulator.verifyRequest(new Request(base, { headers: bearer }))).rejects.toMatchObject({
      code: "ERR_SIGNATURE_INVALID",
      status: 401,
    });
    emulator.revokeCredentials();
    expect(() => emulator.verifyLogin("eve", token)).toThrow(
      expect.objectContaining({ code: "ERR_SIGNATURE_INVALID" }),
    );
    emulator.reset();
    expect([emulator.calls.length, emulator.users.size]).toEqual([0, 0]);
    const c = await provider.issueCredential("eve", { ttlSeconds: 60 });
    mc.advance(60_000);
    expect(() => emulator.verifyLogin("eve", c.token)).toThrow(
      expect.objectContaining({ code: "ERR_CREDENTIAL_EXPIRED" }),
    );
  });

  it("the user API needs an app token, refuses bad users, and answers 404 elsewhere", async () => {
    const { emulator, provider } = setup();
    const user = await provider.issueCredential("grace");
    const asUser = await emulator.fetch(
      post("users", { username: "x", password: "y" }, { authorization: `Bearer ${user.token}` }),
    );
    expect(asUser.status).toBe(401);
    const bearer = { authorization: `Bearer ${await provider.getAppToken()}` };
    const statuses = [];
    for (const body of [
      { username: "a b", password: "p" },
      { username: "ok" },
      [{ username: "h1", password: "p" }],
    ]) {
      statuses.push((await emulator.fetch(post("users", body, bearer))).status);
    }
    const put = await emulator.fetch(new Request(`${base}users/h1`, { method: "PUT", headers: bearer }));
    const deep = await emulator.fetch(new Request(`${base}users/h1/contacts`, { headers: bearer }));
    expect([...statuses, put.status, deep.status]).toEqual([400, 400, 200, 405, 404]);
  });

  it("failNext validates failures; signCallback needs a callbackSecret; options are checked", () => {
    const emulator = createEasemobEmulator({
      orgName,
      appName,
      clientId,
      clientSecret: new Secret(clientSecret),
    });
    for (const failure of [null, { status: 200 }, { vendorCode: 1.5 }]) {
      expect(() => emulator.failNext(1, failure as never)).toThrow(
        expect.objectContaining({ code: "ERR_INVALID_INPUT" }),
      );
    }
    expect(() => emulator.signCallback({})).toThrow(expect.objectContaining({ code: "ERR_INVALID_CONFIG" }));
    expect(() => createEasemobEmulator({ orgName, appName, clientId } as never)).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_CONFIG" }),
    );
    expect(JSON.stringify(emulator)).not.toContain(clientSecret);
  });

  it("serves a provider and client over HTTP on 127.0.0.1 with the default fetch", async () => {
    const emulator = createEasemobEmulator({ orgName, appName, clientId, clientSecret, clock: () => T0 });
    const server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const answer = await emulator.fetch(`http://127.0.0.1${req.url}`, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
      });
      res.writeHead(answer.status, Object.fromEntries(answer.headers));
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const provider = createEasemobProvider({
        orgName,
        appName,
        clientId,
        clientSecret,
        baseUrl: `http://127.0.0.1:${port}`,
        clock: () => T0,
      });
      const credential = await provider.issueCredential("ivan", { ttlSeconds: 120 });
      expect(emulator.acceptsLogin("ivan", credential.token)).toBe(true);
      const client = createEasemobImClient(provider, { sleep: async () => {} });
      expect((await client.getUser("ivan")).username).toBe("ivan");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
