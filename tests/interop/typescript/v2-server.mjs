// The official TypeScript SDK v2 (@modelcontextprotocol/server 2.4.0, /node 2.1.2) as an independent server for
// McpSharp's client, serving both eras on one endpoint: 2026-07-28 requests per request (server/discover, _meta,
// input_required results), 2025-era clients with a real session (initialize, Mcp-Session-Id, server-to-client
// requests). Each tool asks for input the v2 way, once for both eras: it returns an input_required result, which the SDK
// sends as such to a 2026 client and turns into an elicitation/create or sampling/createMessage request for a 2025 one.
// Prints "LISTENING <port>" when ready.
import { createServer } from "node:http";
import { randomUUID } from "node:crypto";
import { McpServer, createMcpHandler, isLegacyRequest, inputRequired, acceptedContent, inputResponse } from "@modelcontextprotocol/server";
import { NodeStreamableHTTPServerTransport, toNodeHandler, toWebRequest } from "@modelcontextprotocol/node";
import * as z from "zod/v4";

function build() {
  const server = new McpServer({ name: "ts-v2-interop", version: "2.4.0" });

  server.registerTool("echo", { description: "Echoes text", inputSchema: z.object({ text: z.string() }) },
    async ({ text }) => ({ content: [{ type: "text", text: `v2:${text}` }] }));

  const person = z.object({ name: z.string() });
  server.registerTool("ask_name", { description: "Asks the user for a name (elicitation)" }, async (ctx) => {
    const answer = inputResponse(ctx.mcpReq.inputResponses, "who");
    if (answer.kind === "elicit" && answer.action !== "accept") {
      return { content: [{ type: "text", text: `declined:${answer.action}` }] };
    }

    const got = acceptedContent(ctx.mcpReq.inputResponses, "who", person);
    return got
      ? { content: [{ type: "text", text: `hello:${got.name}` }] }
      : inputRequired({ inputRequests: { who: inputRequired.elicit({ message: "Your name?", requestedSchema: person }) } });
  });

  server.registerTool("sample", { description: "Asks the client's model (sampling)" }, async (ctx) => {
    const answer = inputResponse(ctx.mcpReq.inputResponses, "llm");
    if (answer.kind === "sampling") {
      const content = answer.result.content;
      return { content: [{ type: "text", text: `sampled:${Array.isArray(content) ? content[0]?.text : content.text}` }] };
    }

    return inputRequired({ inputRequests: { llm: inputRequired.createMessage({ messages: [{ role: "user", content: { type: "text", text: "2+2?" } }], maxTokens: 16 }) } });
  });

  server.registerResource("greeting", "test://static/greeting", { description: "A static text", mimeType: "text/plain" },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: "text/plain", text: "hello resource" }] }));

  server.registerPrompt("greet", { description: "Greets someone", argsSchema: z.object({ name: z.string() }) },
    ({ name }) => ({ messages: [{ role: "user", content: { type: "text", text: `Hello ${name}` } }] }));

  return server;
}

// 2026-07-28: a server per request from the factory; 2025-era requests are routed to the sessions below instead.
const modern = toNodeHandler(createMcpHandler(() => build(), { legacy: "reject" }));

const sessions = new Map();
async function serveSession(req, res, body) {
  const id = req.headers["mcp-session-id"];
  let transport = typeof id === "string" ? sessions.get(id) : undefined;
  if (!transport) {
    if (typeof id === "string") {
      res.writeHead(404).end();
      return;
    }

    transport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sessionId) => sessions.set(sessionId, transport),
      onsessionclosed: (sessionId) => sessions.delete(sessionId),
    });
    await build().connect(transport);
  }

  await transport.handleRequest(req, res, body);
}

async function readJson(req) {
  if (req.method !== "POST") return undefined;
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    return undefined;
  }
}

const http = createServer(async (req, res) => {
  try {
    const body = await readJson(req);
    if (await isLegacyRequest(await toWebRequest(req, body), body)) await serveSession(req, res, body);
    else await modern(req, res, body);
  } catch (error) {
    console.error(error);
    if (!res.headersSent) res.writeHead(500).end();
  }
});
http.listen(0, "127.0.0.1", () => console.log(`LISTENING ${http.address().port}`));
