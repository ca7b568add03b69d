// The TypeScript SDK's Streamable HTTP server with the same echo tool, for the load harness.
//   node --expose-gc server.mjs --mode sse|json|stateless   prints "LISTENING <url>"; GET /debug/memory reports heap and RSS.
import http from "node:http";
import { randomUUID } from "node:crypto";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

const mode = process.argv[process.argv.indexOf("--mode") + 1] ?? "sse";
const createServer = () => {
  const server = new McpServer({ name: "ts-load", version: "1.0.0" });
  server.registerTool("echo", { description: "Echoes the text.", inputSchema: { text: z.string() } },
    async ({ text }) => ({ content: [{ type: "text", text }] }));
  return server;
};

const transports = new Map();
const httpServer = http.createServer(async (req, res) => {
  if (req.url === "/debug/memory") {
    global.gc?.(); global.gc?.();
    const m = process.memoryUsage();
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ managed: m.heapUsed, rss: m.rss, sessions: transports.size }));
    return;
  }

  let body;
  if (req.method === "POST") {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    body = JSON.parse(Buffer.concat(chunks).toString());
  }

  if (mode === "stateless") {
    const server = createServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on("close", () => { transport.close(); server.close(); });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
    return;
  }

  const sessionId = req.headers["mcp-session-id"];
  let transport = sessionId ? transports.get(sessionId) : undefined;
  if (!transport) {
    if (sessionId || !isInitializeRequest(body)) {
      res.writeHead(sessionId ? 404 : 400).end();
      return;
    }

    const created = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: mode === "json",
      onsessioninitialized: (id) => transports.set(id, created),
    });
    created.onclose = () => { if (created.sessionId) transports.delete(created.sessionId); };
    await createServer().connect(created);
    transport = created;
  }

  await transport.handleRequest(req, res, body);
});
httpServer.listen(0, "127.0.0.1", () => console.log(`LISTENING http://127.0.0.1:${httpServer.address().port}/mcp`));
