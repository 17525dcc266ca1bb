import { describe, expect, it } from "vitest";
import legacyVectors from "../../../vectors/tencent-legacy-ecdsa.json" with { type: "json" };
import v2Vectors from "../../../vectors/tencent-usersig-v2.json" with { type: "json" };
import { imauth } from "./helpers.js";

/** The lines of a help section, from its title to the next blank line. */
function section(help: string, title: string): string[] {
  const after = help.split(`\n${title}\n`)[1] ?? "";
  return after.split("\n\n")[0]!.split("\n").filter(Boolean);
}

const commandsOf = (help: string) =>
  section(help, "Commands:").map(
    (line) => /^ {2}imauth (\S+) (\S+)/.exec(line)!.slice(1, 3) as [string, string],
  );

describe("help layout", () => {
  const top = imauth(["--help"]).stdout;

  it("keeps at least two spaces between every command and its summary, the longest name included", () => {
    const lines = section(top, "Commands:");
    expect(lines.length).toBeGreaterThanOrEqual(11);
    for (const line of lines) expect(line).toMatch(/^ {2}imauth \S+ \S+ {2,}\S/);
    expect(top).toMatch(/imauth netease nertc-permission-key {2,}generate/);
    for (const group of ["tencent", "legacy", "netease"]) {
      for (const line of section(imauth([group, "--help"]).stdout, "Commands:")) {
        expect(line).toMatch(/^ {2}imauth \S+ \S+ {2,}\S/);
      }
    }
  });

  it("aligns the options, arguments and environment of every command in one column with room to spare", () => {
    for (const [group, command] of commandsOf(top)) {
      const help = imauth([group, command, "--help"]).stdout;
      for (const title of ["Options:", "Arguments:", "Environment:"]) {
        const lines = section(help, title);
        if (title === "Options:") expect(lines.length, `${group} ${command}`).toBeGreaterThan(0);
        const starts = new Set(lines.map((l) => /^ {2}\S.*? {2,}(?=\S)/.exec(l)?.[0].length));
        expect(
          [...starts].every((s) => s !== undefined),
          `${group} ${command} ${title}`,
        ).toBe(true);
        expect(starts.size, `${group} ${command} ${title}`).toBeLessThanOrEqual(1);
      }
    }
  });
});

describe("tencent decode and verify of a legacy UserSig", () => {
  const legacy = legacyVectors.generatedByOfficial[0]!;

  it("points to the legacy commands instead of a TLS.ver complaint", () => {
    for (const args of [
      ["tencent", "decode", legacy.userSig],
      ["tencent", "verify", legacy.userSig, "--sdkappid", String(legacy.sdkAppId)],
    ]) {
      const r = imauth(args, { IMAUTH_TENCENT_KEY: v2Vectors.inputs.secretKey });
      expect(r.status, args.join(" ")).toBe(1);
      expect(r.stderr).toContain("imauth legacy decode");
      expect(r.stderr).toContain("ERR_MALFORMED_CREDENTIAL");
      expect(r.stderr).not.toContain("TLS.ver");
    }
  });

  it("still decodes a v2 UserSig and refuses garbage with the decoder's own message", () => {
    const v2 = imauth([
      "tencent",
      "decode",
      v2Vectors.generate[0]!.expected,
      "--now",
      "2023-11-15T00:00:00Z",
    ]);
    expect(v2.status).toBe(0);
    expect(v2.stdout).toContain("xiaojun");
    const junk = imauth(["tencent", "decode", "not-a-usersig"]);
    expect(junk.status).toBe(1);
    expect(junk.stderr).not.toContain("imauth legacy");
  });
});
