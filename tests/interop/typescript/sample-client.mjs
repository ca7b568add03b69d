// The official TypeScript SDK client against McpSharp's sample over stdio, checking what the source generator emits:
// the SDK validates every structuredContent against the tool's outputSchema (with Ajv) and throws when it does not
// match, so a call that returns here was validated by an independent implementation.
//   node sample-client.mjs <command> [args...]    prints one JSON line with what it saw.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const [command, ...args] = process.argv.slice(2);
const client = new Client({ name: "ts-authoring-client", version: "1.0.0" });
await client.connect(new StdioClientTransport({ command, args, stderr: "ignore" }));
const { tools } = await client.listTools();
const weather = await client.callTool({ name: "get_weather", arguments: { city: "Oslo" } });
const invalid = await client.callTool({ name: "add", arguments: { a: "two" } });
const added = await client.callTool({ name: "add", arguments: { a: 2, b: 3 } });
const prompt = await client.getPrompt({ name: "complex_prompt", arguments: { temperature: "0.7" } });
const greeting = await client.readResource({ uri: "sample://greeting/ts" });
await client.close();
console.log(JSON.stringify({
  withOutputSchema: tools.filter((t) => t.outputSchema).map((t) => t.name).sort(),
  weather: weather.structuredContent,
  invalid: { isError: invalid.isError === true, text: invalid.content[0].text },
  added: added.content[0].text,
  prompt: prompt.messages.map((m) => m.content.text),
  greeting: greeting.contents[0].text,
}));
