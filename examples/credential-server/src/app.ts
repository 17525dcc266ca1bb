// The application server: identical for every vendor. It sees only the ImAuthProvider contract and a small
// admin API; which vendor sits behind them is decided in vendors.ts.
import { type ImAuthProvider, isImAuthError } from "@imauth/core";

/** The admin action the app performs through the vendor's signed REST client. */
export interface AdminApi {
  /** Creates (imports) an IM account for a user of the app. */
  createUser(userId: string): Promise<void>;
}

/** What the app is built from. */
export interface AppOptions {
  provider: ImAuthProvider;
  admin: AdminApi;
  /** The answer the vendor expects from a callback handler. */
  webhookReply(): Response;
  /** Where the app writes its log lines. */
  log?: (line: string) => void;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/**
 * The app's routes:
 * - `POST /login {"userId"}`: issues the user's IM login credential.
 * - `POST /admin/users {"userId"}`: creates the user's IM account through the vendor's REST API.
 * - `POST /im/callback`: the vendor's callbacks, verified before anything else is read.
 */
export function createApp({ provider, admin, webhookReply, log = () => {} }: AppOptions) {
  return async function app(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    try {
      if (request.method === "POST" && path === "/login") {
        const { userId } = (await request.json()) as { userId?: unknown };
        if (typeof userId !== "string") return json(400, { error: "userId must be a string" });
        // A real app authenticates its user first (session, password...); the demo trusts the body.
        const credential = await provider.issueCredential(userId, { ttlSeconds: 86_400 });
        log(`login: issued a ${provider.vendor} credential for ${userId}`);
        return json(200, {
          vendor: credential.vendor,
          appId: credential.appId,
          userId: credential.userId,
          token: credential.token,
          expiresAt: credential.expiresAt.toISOString(),
        });
      }
      if (request.method === "POST" && path === "/admin/users") {
        const { userId } = (await request.json()) as { userId?: unknown };
        if (typeof userId !== "string") return json(400, { error: "userId must be a string" });
        await admin.createUser(userId);
        log(`admin: created IM account ${userId}`);
        return json(200, { created: userId });
      }
      if (request.method === "POST" && path === "/im/callback") {
        const event = await provider.verifyWebhook(request);
        log(`callback: verified event "${event.event ?? "?"}" for app ${event.appId ?? provider.vendor}`);
        return webhookReply();
      }
      return json(404, { error: "not found" });
    } catch (error) {
      if (isImAuthError(error)) {
        const status = error.code.startsWith("ERR_WEBHOOK")
          ? 401
          : error.code === "ERR_VENDOR_API"
            ? 502
            : 400;
        log(`rejected: ${error.code}: ${error.message}`);
        return json(status, { error: error.code, message: error.message, vendorCode: error.vendorCode });
      }
      throw error;
    }
  };
}
