// Demo keys, so the demo runs with no account at any vendor. None of them is a secret: they are the public
// sample values of the vendors' official libraries and documentation, or placeholders, as the project's test
// vectors carry them. Never use them for a real application.

/**
 * Tencent Cloud IM (UserSig v2, HMAC-SHA256). SDKAppID and key: the sample inputs the official tls-sig-api-v2
 * libraries were run with for the project's UserSig vectors. Callback token: the example of Tencent's
 * "third-party callback authentication" documentation.
 */
export const TENCENT_DEMO = {
  sdkAppId: 1400000000,
  secretKey: "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e",
  callbackToken: "xxxxyyyy",
} as const;

/**
 * Tencent legacy UserSig (ECDSA-SHA256 on P-256, PKCS#8). The public sample key pair shipped in the official
 * tls-sig-api repositories (the project's legacy vectors were made with it by the official v1 Node library).
 */
export const TENCENT_LEGACY_DEMO = {
  sdkAppId: 1400000000,
  privateKey:
    "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgkTfHxPa8YusG+va8\n1CRztNQBOEr90TBEjlQBZ5d1Y0ChRANCAAS9isP/xLib7EZ1vS5OUy+gOsYBwees\nPMDvWiTygPAUsGZv1PHLoa0ciqsElkO1fMGwNrzOKJx1Oo194Ri+SypV\n-----END PRIVATE KEY-----\n",
  publicKey:
    "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEvYrD/8S4m+xGdb0uTlMvoDrGAcHn\nrDzA71ok8oDwFLBmb9Txy6GtHIqrBJZDtXzBsDa8ziicdTqNfeEYvksqVQ==\n-----END PUBLIC KEY-----\n",
  callbackToken: "xxxxyyyy",
} as const;

/** NetEase YunXin: the placeholder AppKey and AppSecret of NetEase's documentation examples. */
export const NETEASE_DEMO = {
  appKey: "c37bf7a8758a4ed00000000000000000",
  appSecret: "c00000000000",
} as const;

/**
 * Agora (AccessToken2, Chat REST API, Notification Center). App ID and App Certificate: the sample values of
 * the official AgoraIO/Tools token builders' tests, which the project's Agora vectors use. NCS secret: the one
 * of Agora's signature-verification example. Org and app names: placeholders.
 */
export const AGORA_DEMO = {
  appId: "970CA35de60c44645bbae8a215061b33",
  appCertificate: "5CFd2fd1755d40ecb72977518be15d3b",
  ncsSecret: "secret",
  orgName: "61717166",
  appName: "demo",
} as const;

/** RongCloud: the App Key and App Secret of RongCloud's signature documentation example. */
export const RONGCLOUD_DEMO = {
  appKey: "uwd1c0sxdlx2",
  appSecret: "Y1W2MeFwwwRxa0",
} as const;

/**
 * Easemob: the placeholder AppKey (`orgName#appName`), Client ID and Client Secret of the project's Easemob
 * vectors, and the callback Secret of its callback vector.
 */
export const EASEMOB_DEMO = {
  orgName: "1100220704109048",
  appName: "demo",
  clientId: "YXA6clientidEXAMPLE0000001",
  clientSecret: "YXA6clientSecretEXAMPLE000000000001",
  callbackSecret: "cbSecret123",
} as const;
