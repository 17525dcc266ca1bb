import { randomHex } from "@imauth/core/adapter";
import { CloudApiError } from "./auth.js";

/**
 * A TRTC room the emulator knows, entered with `enterRoom` and changed by the room APIs.
 *
 * @example
 * ```ts
 * const live = emulator.rooms.filter((room: TencentCloudEmulatorRoom) => room.dismissedAtSeconds === undefined);
 * ```
 */
export interface TencentCloudEmulatorRoom {
  /** The application the room belongs to. */
  sdkAppId: number;
  /** A number for numeric rooms (`RoomId`), a string for string rooms (`StrRoomId`): two different rooms. */
  roomId: number | string;
  /** The users in the room now. */
  users: string[];
  /** The user who entered first. */
  creator: string;
  /** When the first user entered, in seconds. */
  createdAtSeconds: number;
  /** When the room ended (`DismissRoom*`); absent while it is live. */
  dismissedAtSeconds?: number;
}

/**
 * A mixing job started by `StartMCUMixTranscode`, or a recording task created by `CreateCloudRecording`.
 *
 * @example
 * ```ts
 * const [task] = emulator.tasks.filter((t: TencentCloudEmulatorTask) => t.action === "CreateCloudRecording");
 * ```
 */
export interface TencentCloudEmulatorTask {
  /** The action that started it. */
  action: "StartMCUMixTranscode" | "CreateCloudRecording";
  /** The application. */
  sdkAppId: number;
  /** The room: a number for numeric rooms, a string for string rooms. */
  roomId: number | string;
  /** `TaskId` of a recording. */
  taskId?: string;
  /** The request's parameters. */
  params: Record<string, unknown>;
}

/** The emulator's state that the handlers change. */
export interface CloudState {
  sdkAppId: number | undefined;
  rooms: Map<string, TencentCloudEmulatorRoom>;
  tasks: TencentCloudEmulatorTask[];
  nowSeconds: () => number;
}

type Params = Record<string, unknown>;
type Handler = (state: CloudState, params: Params) => Record<string, unknown>;

export const roomKey = (sdkAppId: number, roomId: number | string): string =>
  `${sdkAppId}/${typeof roomId}/${roomId}`;

function sdkAppIdOf(state: CloudState, params: Params): number {
  const id = params.SdkAppId;
  if (id === undefined) throw new CloudApiError("MissingParameter.SdkAppId", "SdkAppId is required.");
  if (!Number.isInteger(id) || (id as number) < 1 || (id as number) > 0xffff_ffff) {
    throw new CloudApiError("InvalidParameter.SdkAppId", "SdkAppId must be a positive integer.");
  }
  if (state.sdkAppId !== undefined && id !== state.sdkAppId) {
    throw new CloudApiError("UnauthorizedOperation.SdkAppId", "No permission to operate this SdkAppId.");
  }
  return id as number;
}

function numericRoomOf(params: Params): number {
  const id = params.RoomId;
  if (id === undefined) throw new CloudApiError("MissingParameter.RoomId", "RoomId is required.");
  if (!Number.isInteger(id) || (id as number) < 1 || (id as number) > 4_294_967_294) {
    throw new CloudApiError("InvalidParameter.RoomId", "RoomId must be an integer from 1 to 4294967294.");
  }
  return id as number;
}

function stringRoomOf(params: Params, name: string): string {
  const id = params[name];
  if (id === undefined) throw new CloudApiError("MissingParameter.RoomId", `${name} is required.`);
  if (typeof id !== "string" || id.length === 0 || id.length > 64) {
    throw new CloudApiError("InvalidParameter.RoomId", `${name} must be a string of 1 to 64 characters.`);
  }
  return id;
}

function userIdsOf(params: Params): string[] {
  const ids = params.UserIds;
  if (ids === undefined) throw new CloudApiError("MissingParameter.UserIds", "UserIds is required.");
  if (
    !Array.isArray(ids) ||
    ids.length === 0 ||
    ids.length > 10 ||
    ids.some((id) => typeof id !== "string" || id.length === 0)
  ) {
    throw new CloudApiError("InvalidParameter.UserIds", "UserIds must list 1 to 10 user IDs.");
  }
  return ids as string[];
}

function liveRoom(state: CloudState, sdkAppId: number, roomId: number | string): TencentCloudEmulatorRoom {
  const room = state.rooms.get(roomKey(sdkAppId, roomId));
  if (room === undefined || room.dismissedAtSeconds !== undefined) {
    throw new CloudApiError("FailedOperation.RoomNotExist", "The room does not exist.");
  }
  return room;
}

function dismiss(state: CloudState, sdkAppId: number, roomId: number | string) {
  const room = liveRoom(state, sdkAppId, roomId);
  room.users = [];
  room.dismissedAtSeconds = state.nowSeconds();
  return {};
}

function remove(state: CloudState, sdkAppId: number, roomId: number | string, userIds: string[]) {
  const room = liveRoom(state, sdkAppId, roomId);
  room.users = room.users.filter((u) => !userIds.includes(u));
  return {};
}

function requireObject(params: Params, name: string): Record<string, unknown> {
  const value = params[name];
  if (value === undefined) throw new CloudApiError(`MissingParameter.${name}`, `${name} is required.`);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new CloudApiError(`InvalidParameter.${name}`, `${name} must be an object.`);
  }
  return value as Record<string, unknown>;
}

function integerParam(params: Params, name: string, fallback?: number): number {
  const value = params[name] ?? fallback;
  if (value === undefined) throw new CloudApiError("MissingParameter", `${name} is required.`);
  if (!Number.isInteger(value) || (value as number) < 0) {
    throw new CloudApiError("InvalidParameter", `${name} must be a non-negative integer.`);
  }
  return value as number;
}

function describeRoomInfo(state: CloudState, params: Params) {
  const sdkAppId = sdkAppIdOf(state, params);
  const start = integerParam(params, "StartTime");
  const end = integerParam(params, "EndTime");
  const page = integerParam(params, "PageNumber", 0);
  const size = integerParam(params, "PageSize", 10);
  if (start < state.nowSeconds() - 14 * 86_400) {
    throw new CloudApiError("InvalidParameter.StartTsOversize", "Only the last 14 days can be queried.");
  }
  if (end < start || end - start > 86_400) {
    throw new CloudApiError(
      "InvalidParameter.QueryScaleOversize",
      "EndTime - StartTime must be 0 to 24 hours.",
    );
  }
  if (size > 100)
    throw new CloudApiError("InvalidParameter.PageSizeOversize", "PageSize must be at most 100.");
  const roomId = params.RoomId === undefined ? undefined : String(params.RoomId);
  const rooms = [...state.rooms.values()].filter(
    (r) =>
      r.sdkAppId === sdkAppId &&
      r.createdAtSeconds <= end &&
      (r.dismissedAtSeconds ?? end) >= start &&
      (roomId === undefined || String(r.roomId) === roomId),
  );
  const RoomList = rooms.slice(page * size, page * size + size).map((r) => ({
    CommId: String(r.roomId),
    CreateTime: r.createdAtSeconds,
    DestroyTime: r.dismissedAtSeconds ?? 0,
    IsFinished: r.dismissedAtSeconds !== undefined,
    UserId: r.creator,
  }));
  return { Total: rooms.length, RoomList };
}

function startMix(state: CloudState, params: Params) {
  const sdkAppId = sdkAppIdOf(state, params);
  const roomId = numericRoomOf(params);
  requireObject(params, "OutputParams");
  requireObject(params, "EncodeParams");
  liveRoom(state, sdkAppId, roomId);
  state.tasks.push({ action: "StartMCUMixTranscode", sdkAppId, roomId, params });
  return {};
}

function createRecording(state: CloudState, params: Params) {
  const sdkAppId = sdkAppIdOf(state, params);
  const roomIdType = integerParam(params, "RoomIdType", 0);
  if (roomIdType > 1)
    throw new CloudApiError("InvalidParameter", "RoomIdType must be 0 (string) or 1 (number).");
  const text = stringRoomOf(params, "RoomId");
  if (roomIdType === 1 && !/^[1-9]\d{0,9}$/.test(text)) {
    throw new CloudApiError("InvalidParameter.RoomId", "RoomId must hold a number when RoomIdType is 1.");
  }
  for (const name of ["UserId", "UserSig"]) {
    if (typeof params[name] !== "string" || params[name] === "") {
      throw new CloudApiError(
        `MissingParameter.${name === "UserId" ? "UserId" : "UserSig"}`,
        `${name} is required.`,
      );
    }
  }
  requireObject(params, "RecordParams");
  requireObject(params, "StorageParams");
  const roomId = roomIdType === 1 ? Number(text) : text;
  const taskId = randomHex(24);
  state.tasks.push({ action: "CreateCloudRecording", sdkAppId, roomId, taskId, params });
  return { TaskId: taskId };
}

/** The TRTC actions the emulator implements, by name. */
export const CLOUD_HANDLERS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ["DismissRoom", (s, p) => dismiss(s, sdkAppIdOf(s, p), numericRoomOf(p))],
  ["DismissRoomByStrRoomId", (s, p) => dismiss(s, sdkAppIdOf(s, p), stringRoomOf(p, "RoomId"))],
  ["RemoveUser", (s, p) => remove(s, sdkAppIdOf(s, p), numericRoomOf(p), userIdsOf(p))],
  ["RemoveUserByStrRoomId", (s, p) => remove(s, sdkAppIdOf(s, p), stringRoomOf(p, "RoomId"), userIdsOf(p))],
  ["StartMCUMixTranscode", startMix],
  ["CreateCloudRecording", createRecording],
  ["DescribeRoomInfo", describeRoomInfo],
]);
