// Reads the code blocks of a Markdown file: their language, the words after it (```ts fragment), the line of
// their first code line and their code, with the indentation of an indented fence (a block in a list) removed.

const FENCE = /^( *)(`{3,}|~{3,})\s*([^\s`]*)(.*)$/;
const LANGUAGES = { ts: "ts", typescript: "ts", sh: "sh", bash: "sh", shell: "sh", console: "sh" };

/**
 * @param {string} text the Markdown source
 * @param {string} file its path relative to the repository, shown in failures
 * @returns {{ file: string, line: number, lang: string, tags: string[], code: string }[]}
 */
export function extractBlocks(text, file) {
  const lines = text.split("\n");
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, info, rest] = open;
    const body = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = FENCE.exec(lines[j]);
      if (close?.[2].startsWith(fence[0]) && close[2].length >= fence.length && !close[3]) break;
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j].trimStart());
    }
    const lang = LANGUAGES[info.toLowerCase()];
    if (lang) {
      const tags = rest.trim().split(/\s+/).filter(Boolean);
      blocks.push({ file, line: i + 2, lang, tags, code: `${body.join("\n")}\n` });
    }
    i = j;
  }
  return blocks;
}

/**
 * The commands of a shell block that call the CLI, with the lines that set up their environment: `export`
 * lines, `VAR=$(imauth ...)`, `imauth ...` and `echo ... | imauth ...` (a trailing `\` joins lines). Other
 * commands (npm install, curl to a vendor) are left out: they need the network.
 *
 * @param {string} code
 * @returns {{ line: number, command: string }[]} line: offset in the block, 0 for the first line
 */
export function cliCommands(code) {
  const out = [];
  const lines = code.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let command = lines[i];
    while (command.endsWith("\\") && i + 1 < lines.length)
      command = `${command.slice(0, -1)} ${lines[++i].trim()}`;
    const trimmed = command.trim();
    if (trimmed.startsWith("#") || trimmed === "") continue;
    const calls = /(^|[\s($|])imauth\s/.test(trimmed);
    const setup = /^export\s/.test(trimmed) || /^printf\s.*>\s*\S+$/.test(trimmed);
    if (calls || setup) out.push({ line: start, command: trimmed });
  }
  return out;
}
