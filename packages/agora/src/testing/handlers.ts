import { randomHex } from "@imauth/core/adapter";

/** @internal An error answer: HTTP status, Agora's `error` name and `error_description`. */
export class EmulatedError extends Error {
  readonly status: number;
  readonly error: string;
  constructor(status: number, error: string, description: string) {
    super(description);
    this.status = status;
    this.error = error;
  }
}

/** @internal A registered user. */
export interface EmulatedUser {
  username: string;
  uuid: string;
  created: number;
  activated: boolean;
}

/** @internal The emulator's data. */
export interface ChatState {
  users: Map<string, EmulatedUser>;
  messages: Array<{ id: string; from: string; to: string; chatType: string; type: string; body: unknown }>;
}

const USER_ID = /^[A-Za-z0-9_.-]{1,64}$/;

function badRequest(description: string): EmulatedError {
  return new EmulatedError(400, "illegal_argument", description);
}

async function readJson(request: Request): Promise<unknown> {
  if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) {
    throw badRequest("Content-Type must be application/json");
  }
  try {
    return JSON.parse(await request.text()) as unknown;
  } catch {
    throw new EmulatedError(400, "json_parse", "Unexpected character: the body is not JSON");
  }
}

function entity(user: EmulatedUser) {
  return { type: "user", modified: user.created, ...user };
}

function register(state: ChatState, body: unknown, nowMs: number) {
  const list = Array.isArray(body) ? body : [body];
  if (list.length === 0 || list.length > 60) throw badRequest("register 1 to 60 users at a time");
  const fresh: EmulatedUser[] = [];
  for (const item of list) {
    const { username, password } = (item ?? {}) as { username?: unknown; password?: unknown };
    if (typeof username !== "string" || !USER_ID.test(username)) {
      throw badRequest("username must be 1 to 64 letters, digits, _, - or .");
    }
    if (typeof password !== "string" || password.length === 0 || password.length > 64) {
      throw badRequest("password must be 1 to 64 characters");
    }
    const key = username.toLowerCase();
    if (state.users.has(key) || fresh.some((u) => u.username === key)) {
      throw new EmulatedError(
        400,
        "duplicate_unique_property_exists",
        `Application null Entity user requires that property named username be unique, value of ${key} exists`,
      );
    }
    fresh.push({ username: key, uuid: crypto.randomUUID(), created: Math.floor(nowMs), activated: true });
  }
  for (const user of fresh) state.users.set(user.username, user);
  return { entities: fresh.map(entity) };
}

function sendMessages(state: ChatState, chatType: string, body: unknown) {
  const { from = "admin", to, type, body: content } = (body ?? {}) as Record<string, unknown>;
  if (typeof from !== "string" || from.length === 0) throw badRequest("from must be a user ID");
  if (!Array.isArray(to) || to.length === 0 || to.length > 600 || !to.every((t) => typeof t === "string")) {
    throw badRequest("to must list 1 to 600 recipients");
  }
  if (typeof type !== "string" || typeof content !== "object" || content === null) {
    throw badRequest("type and body are required");
  }
  const data: Record<string, string> = {};
  for (const recipient of to as string[]) {
    const id = String(BigInt(`0x${randomHex(7)}`));
    data[recipient] = id;
    state.messages.push({ id, from, to: recipient, chatType, type, body: content });
  }
  return { data };
}

/** @internal Answers one authenticated call; `path` is relative to `/<org>/<app>/`. */
export async function routeChat(
  state: ChatState,
  request: Request,
  path: string,
  nowMs: number,
): Promise<Record<string, unknown>> {
  const method = request.method;
  if (path === "users" && method === "POST") return register(state, await readJson(request), nowMs);
  const user = /^users\/([^/]+)$/.exec(path);
  if (user !== null && method === "GET") {
    const found = state.users.get(decodeURIComponent(user[1]!).toLowerCase());
    if (found === undefined)
      throw new EmulatedError(404, "service_resource_not_found", "Service resource not found");
    return { entities: [entity(found)], count: 1 };
  }
  const messages = /^messages\/(users|chatgroups|chatrooms)$/.exec(path);
  if (messages !== null && method === "POST")
    return sendMessages(state, messages[1]!, await readJson(request));
  throw new EmulatedError(404, "service_resource_not_found", "Service resource not found");
}
