// Entry for workerd: a module worker whose fetch handler runs the suite and answers with the results.
import { runAll } from "../suite/index.js";

export default {
  async fetch(): Promise<Response> {
    const results = await runAll();
    return new Response(JSON.stringify(results), { headers: { "content-type": "application/json" } });
  },
};
