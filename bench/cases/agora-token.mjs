// @imauth/agora token generation against the official `agora-token` package (node:crypto HMAC and node:zlib),
// side by side in one process (target 1.5): an RTC publisher token and a Chat user token, same inputs.
// Both sides must produce the same token content (compared after inflating: zlib builds may differ) before
// they are timed. Imports the built package: run `turbo run build` first. Prints one JSON array of rows.
import { inflateSync } from "node:zlib";
import { genChatUserToken, genRtcToken } from "@imauth/agora";
import agoraToken from "agora-token";
import { compare } from "../lib/measure.mjs";

const { ChatTokenBuilder, RtcRole, RtcTokenBuilder } = agoraToken;
const appId = "970CA35de60c44645bbae8a215061b33";
const appCertificate = "5CFd2fd1755d40ecb72977518be15d3b";
const channelName = "7d72365eb983485397e3e3f9d460bdda";
const uid = 2882341273;

const rtc = {
  imauth: {
    name: "@imauth/agora genRtcToken",
    fn: () =>
      genRtcToken({
        appId,
        appCertificate,
        channelName,
        uid,
        role: "publisher",
        tokenExpireSeconds: 3600,
        privilegeExpireSeconds: 3600,
      }),
  },
  official: {
    name: "agora-token RtcTokenBuilder.buildTokenWithUid",
    fn: () =>
      RtcTokenBuilder.buildTokenWithUid(
        appId,
        appCertificate,
        channelName,
        uid,
        RtcRole.PUBLISHER,
        3600,
        3600,
      ),
  },
};
const chat = {
  imauth: {
    name: "@imauth/agora genChatUserToken",
    fn: () => genChatUserToken({ appId, appCertificate, userId: "chatuser", expireSeconds: 600 }),
  },
  official: {
    name: "agora-token ChatTokenBuilder.buildUserToken",
    fn: () => ChatTokenBuilder.buildUserToken(appId, appCertificate, "chatuser", 600),
  },
};

// Same content on both sides, up to the random salt, the issue time and the signature that depends on them:
// the signing info after the salt (service count and services) must be equal byte for byte.
const services = (token) => {
  const content = inflateSync(Buffer.from(token.slice(3), "base64"));
  const signatureLength = content.readUInt16LE(0);
  const appIdLength = content.readUInt16LE(2 + signatureLength);
  return content.subarray(2 + signatureLength + 2 + appIdLength + 12).toString("hex");
};
for (const pair of [rtc, chat]) {
  const [a, b] = [pair.imauth.fn(), pair.official.fn()];
  if (!a.startsWith("007") || services(a) !== services(b))
    throw new Error(`${pair.imauth.name} and ${pair.official.name} disagree`);
}

const rows = [
  await compare({
    comparison: "Agora RTC token vs agora-token",
    subject: rtc.imauth,
    anchor: rtc.official,
    target: 1.5,
  }),
  await compare({
    comparison: "Agora Chat user token vs agora-token",
    subject: chat.imauth,
    anchor: chat.official,
    target: 1.5,
  }),
];
console.log(JSON.stringify(rows, null, 2));
