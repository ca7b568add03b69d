// The official TypeScript SDK v2 client (@modelcontextprotocol/client 2.4.0) as an independent client of McpSharp's
// server. Usage: node v2-client.mjs <url> <modern|auto|legacy> '<plan json>'; the plan names what to call:
// {"calls":[{"name","arguments"}],"resources":["uri"],"prompts":[{"name","arguments"}],"elicitation":{...content}}.
// The same elicitation and sampling handlers answer 2025 server requests and 2026 input_required rounds (the client
// retries those by itself). Prints one JSON report on its last line; exits 1 on any error.
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";

const [url, mode, planJson] = process.argv.slice(2);
const plan = JSON.parse(planJson ?? "{}");
const versionNegotiation = mode === "modern" ? { mode: { pin: "2026-07-28" } } : mode === "auto" ? { mode: "auto" } : { mode: "legacy" };
const client = new Client({ name: "ts-v2-client", version: "2.4.0" }, { capabilities: { elicitation: { form: {} }, sampling: {} }, versionNegotiation });
const handled = { elicitation: 0, sampling: 0 };
client.setRequestHandler("elicitation/create", async () => {
  handled.elicitation++;
  return { action: "accept", content: plan.elicitation ?? { name: "Ada" } };
});
client.setRequestHandler("sampling/createMessage", async () => {
  handled.sampling++;
  return { role: "assistant", content: { type: "text", text: "ts sampled" }, model: "ts-model", stopReason: "endTurn" };
});

const report = { calls: [], resources: [], prompts: [] };
try {
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  report.protocolVersion = client.getNegotiatedProtocolVersion();
  report.era = client.getProtocolEra();
  report.server = client.getServerVersion()?.name ?? null;
  report.sessionId = client.transport?.sessionId ?? null;
  report.tools = (await client.listTools()).tools.map((t) => t.name);
  for (const call of plan.calls ?? []) report.calls.push((await client.callTool(call)).content);
  for (const uri of plan.resources ?? []) report.resources.push((await client.readResource({ uri })).contents);
  for (const prompt of plan.prompts ?? []) report.prompts.push((await client.getPrompt(prompt)).messages);
  report.handled = handled;
  report.ok = true;
} catch (error) {
  report.ok = false;
  report.error = String(error?.stack ?? error);
} finally {
  await client.close().catch(() => {});
}

console.log(JSON.stringify(report));
process.exit(report.ok ? 0 : 1);
