import { utf8Encode } from "@imauth/core/adapter";

/**
 * An account the emulator holds.
 *
 * @example
 * ```ts
 * const alice: TencentEmulatorAccount | undefined = emulator.accounts.get("alice");
 * ```
 */
export interface TencentEmulatorAccount {
  userId: string;
  nick?: string;
  faceUrl?: string;
  /** `Online`, `PushOnline` or `Offline` (default). */
  status: string;
}

/**
 * A message sent through `v4/openim/sendmsg`.
 *
 * @example
 * ```ts
 * const last: TencentEmulatorMessage | undefined = emulator.messages.at(-1);
 * ```
 */
export interface TencentEmulatorMessage {
  from: string;
  to: string;
  msgBody: unknown;
  msgTime: number;
  msgKey: string;
}

/**
 * A group the emulated application has, as `v4/group_open_http_svc/get_appid_group_list` lists it.
 *
 * @example
 * ```ts
 * const group: TencentEmulatorGroup = { groupId: "@TGS#2J4SZEAEL", type: "Public" };
 * ```
 */
export interface TencentEmulatorGroup {
  /** The group ID, e.g. `@TGS#2J4SZEAEL`. */
  groupId: string;
  /** `Public`, `Private`, `ChatRoom`, `AVChatRoom` or `Community`. */
  type: string;
}

/** A Tencent error answered in the envelope (HTTP 200), as Tencent answers every refusal. */
export class EmulatedError extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** The emulated application's data, which the handlers read and change. */
export interface EmulatorState {
  readonly adminUserId: string;
  readonly accounts: Map<string, TencentEmulatorAccount>;
  readonly messages: TencentEmulatorMessage[];
  readonly groups: TencentEmulatorGroup[];
  nowSeconds(): number;
  nextMsgSeq(): number;
}

/** One REST API: the JSON body in, the answer's fields (besides the envelope) out. */
export type ApiHandler = (state: EmulatorState, body: Record<string, unknown>) => Record<string, unknown>;

function requireUserId(value: unknown, field: string): string {
  if (typeof value !== "string" || value.length === 0 || utf8Encode(value).length > 32) {
    throw new EmulatedError(70402, `${field} must be a UserID of 1 to 32 bytes`);
  }
  return value;
}

function list(value: unknown, field: string, max: number): unknown[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > max) {
    throw new EmulatedError(70402, `${field} must be an array of 1 to ${max} items`);
  }
  return value;
}

function itemUserId(item: unknown, field: string): string {
  return requireUserId((item as { UserID?: unknown } | null)?.UserID, field);
}

function accountImport(state: EmulatorState, body: Record<string, unknown>): Record<string, unknown> {
  const userId = requireUserId(body.UserID, "UserID");
  const previous = state.accounts.get(userId);
  state.accounts.set(userId, {
    userId,
    status: previous?.status ?? "Offline",
    ...(typeof body.Nick === "string" ? { nick: body.Nick } : {}),
    ...(typeof body.FaceUrl === "string" ? { faceUrl: body.FaceUrl } : {}),
  });
  return {};
}

function multiAccountImport(state: EmulatorState, body: Record<string, unknown>): Record<string, unknown> {
  const failed: unknown[] = [];
  for (const item of list(body.Accounts, "Accounts", 100)) {
    if (typeof item === "string" && item.length > 0 && utf8Encode(item).length <= 32) {
      if (!state.accounts.has(item)) state.accounts.set(item, { userId: item, status: "Offline" });
    } else failed.push(item);
  }
  return { FailAccounts: failed };
}

function accountDelete(state: EmulatorState, body: Record<string, unknown>): Record<string, unknown> {
  return {
    ResultItem: list(body.DeleteItem, "DeleteItem", 100).map((item) => {
      const userId = itemUserId(item, "DeleteItem.UserID");
      state.accounts.delete(userId);
      return { ResultCode: 0, ResultInfo: "", UserID: userId };
    }),
  };
}

function accountCheck(state: EmulatorState, body: Record<string, unknown>): Record<string, unknown> {
  return {
    ResultItem: list(body.CheckItem, "CheckItem", 100).map((item) => {
      const userId = itemUserId(item, "CheckItem.UserID");
      const status = state.accounts.has(userId) ? "Imported" : "NotImported";
      return { UserID: userId, ResultCode: 0, ResultInfo: "", AccountStatus: status };
    }),
  };
}

function kick(state: EmulatorState, body: Record<string, unknown>): Record<string, unknown> {
  const account = state.accounts.get(requireUserId(body.UserID, "UserID"));
  if (account) account.status = "Offline";
  return {};
}

function queryOnlineStatus(state: EmulatorState, body: Record<string, unknown>): Record<string, unknown> {
  const queryResult: unknown[] = [];
  const errorList: unknown[] = [];
  for (const item of list(body.To_Account, "To_Account", 500)) {
    const userId = requireUserId(item, "To_Account");
    const account = state.accounts.get(userId);
    if (account) queryResult.push({ To_Account: userId, Status: account.status });
    else errorList.push({ To_Account: userId, ErrorCode: 70107 });
  }
  return { QueryResult: queryResult, ErrorList: errorList };
}

function sendMsg(state: EmulatorState, body: Record<string, unknown>): Record<string, unknown> {
  const to = requireUserId(body.To_Account, "To_Account");
  const { adminUserId, accounts } = state;
  const from =
    body.From_Account === undefined ? adminUserId : requireUserId(body.From_Account, "From_Account");
  if (!accounts.has(to)) throw new EmulatedError(20003, "the recipient UserID does not exist");
  if (from !== adminUserId && !accounts.has(from)) {
    throw new EmulatedError(20003, "the sender UserID does not exist");
  }
  if (!Array.isArray(body.MsgBody) || body.MsgBody.length === 0) {
    throw new EmulatedError(20001, "MsgBody must be a non-empty array");
  }
  if (typeof body.MsgRandom !== "number" || !Number.isInteger(body.MsgRandom)) {
    throw new EmulatedError(20001, "MsgRandom must be an integer");
  }
  const msgTime = state.nowSeconds();
  const msgKey = `${body.MsgRandom}_${state.nextMsgSeq()}_${msgTime}`;
  state.messages.push({ from, to, msgBody: body.MsgBody, msgTime, msgKey });
  return { MsgTime: msgTime, MsgKey: msgKey };
}

const GROUP_TYPES = new Set(["Public", "Private", "ChatRoom", "AVChatRoom", "Community"]);

/** Pages through the app's groups as Tencent does: `Limit` (1 to 10000), `Next` (0 first), `GroupType`. */
function getAppIdGroupList(state: EmulatorState, body: Record<string, unknown>): Record<string, unknown> {
  const { Limit = 10_000, Next = 0, GroupType } = body;
  if (typeof Limit !== "number" || !Number.isInteger(Limit) || Limit < 1 || Limit > 10_000) {
    throw new EmulatedError(10004, "Limit must be an integer from 1 to 10000");
  }
  if (typeof Next !== "number" || !Number.isInteger(Next) || Next < 0) {
    throw new EmulatedError(10004, "Next must be a non-negative integer");
  }
  if (GroupType !== undefined && (typeof GroupType !== "string" || !GROUP_TYPES.has(GroupType))) {
    throw new EmulatedError(10004, "GroupType is not a group type");
  }
  const groups = GroupType === undefined ? state.groups : state.groups.filter((g) => g.type === GroupType);
  const page = groups.slice(Next, Next + Limit);
  const next = Next + page.length < groups.length ? Next + page.length : 0;
  return { TotalCount: groups.length, GroupIdList: page.map((g) => ({ GroupId: g.groupId })), Next: next };
}

/** The REST APIs the emulator implements, by path. */
export const API_HANDLERS: ReadonlyMap<string, ApiHandler> = new Map<string, ApiHandler>([
  ["v4/im_open_login_svc/account_import", accountImport],
  ["v4/im_open_login_svc/multiaccount_import", multiAccountImport],
  ["v4/im_open_login_svc/account_delete", accountDelete],
  ["v4/im_open_login_svc/account_check", accountCheck],
  ["v4/im_open_login_svc/kick", kick],
  ["v4/openim/query_online_status", queryOnlineStatus],
  ["v4/openim/sendmsg", sendMsg],
  ["v4/group_open_http_svc/get_appid_group_list", getAppIdGroupList],
]);
