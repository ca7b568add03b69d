// An independent MCP client built on the official TypeScript SDK, for McpSharp's server interop tests.
//   node client.mjs <url>   runs against the conformance fixture and prints one JSON line with what it saw.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CreateMessageRequestSchema, ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";

const client = new Client({ name: "ts-interop-client", version: "1.0.0" }, { capabilities: { sampling: {}, elicitation: {} } });
client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
  const first = request.params.messages[0].content;
  return { role: "assistant", model: "ts-model", content: { type: "text", text: `ts sampled: ${first.text}` } };
});
client.setRequestHandler(ElicitRequestSchema, async () => ({ action: "accept", content: { username: "ts-user", email: "ts@example.com" } }));

const transport = new StreamableHTTPClientTransport(new URL(process.argv[2]));
await client.connect(transport);
const tools = await client.listTools();
const text = (result) => result.content[0].text;
const report = {
  sessionId: transport.sessionId,
  tools: tools.tools.map((t) => t.name).sort(),
  simple: text(await client.callTool({ name: "test_simple_text", arguments: {} })),
  sampling: text(await client.callTool({ name: "test_sampling", arguments: { prompt: "Hello" } })),
  elicitation: text(await client.callTool({ name: "test_elicitation", arguments: { message: "Who are you?" } })),
  resource: (await client.readResource({ uri: "test://static-text" })).contents[0].text,
};
await transport.terminateSession();
await client.close();
console.log(JSON.stringify(report));
