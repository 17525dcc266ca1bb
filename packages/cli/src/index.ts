/**
 * The `imauth` command line as a function, for embedding and tests. Most users run the `imauth` binary.
 *
 * @packageDocumentation
 */
export { run } from "./cli.js";
export { EXIT, type ExitCode } from "./exit.js";
export { type CliIo, InputTooLargeError, nodeIo } from "./io.js";
