// Every package's suite. A package's suite is added here once the package is published from the workspace.
import "./core.suite.js";
import "./tencent.suite.js";
import "./tencent-cloud.suite.js";
import "./netease.suite.js";
import "./legacy-ecdsa.suite.js";
import "./agora.suite.js";
import "./rongcloud.suite.js";
import "./easemob.suite.js";

export { runAll, type TestResult } from "./harness.js";
