// An independent MCP server built on the official TypeScript SDK, for McpSharp's client interop tests.
//   node server.mjs           Streamable HTTP on 127.0.0.1, a free port; prints "LISTENING <port>"
//   node server.mjs --stdio   stdio
//   node server.mjs --legacy-sse   the 2024-11-05 HTTP+SSE transport only: GET /mcp opens the stream (its first event
//                             names the POST endpoint), POST /mcp is 405; prints "LISTENING <port>"
// POST /drop-sessions forgets every session, as a restarted or load-balanced server would; a request with a session id
// the server does not know then gets 404, as the spec requires (the SDK's own example answers 400).
import http from "node:http";
import { randomUUID } from "node:crypto";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { SSEServerTransport } from "@modelcontextprotocol/sdk/server/sse.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

function createServer() {
  const server = new McpServer({ name: "ts-interop", version: "1.0.0" });
  server.registerTool("echo", { description: "Echoes the text.", inputSchema: { text: z.string() } },
    async ({ text }) => ({ content: [{ type: "text", text: `ts:${text}` }] }));
  server.registerTool("progress", { description: "Reports progress three times." }, async (extra) => {
    const token = extra._meta?.progressToken;
    for (let i = 1; i <= 3; i++) {
      if (token !== undefined) {
        await extra.sendNotification({ method: "notifications/progress", params: { progressToken: token, progress: i, total: 3 } });
      }
    }
    return { content: [{ type: "text", text: "progress done" }] };
  });
  server.registerTool("sample", { description: "Asks the client's model.", inputSchema: { prompt: z.string() } }, async ({ prompt }, extra) => {
    const result = await server.server.createMessage(
      { messages: [{ role: "user", content: { type: "text", text: prompt } }], maxTokens: 10 },
      { relatedRequestId: extra.requestId });
    const content = Array.isArray(result.content) ? result.content[0] : result.content;
    return { content: [{ type: "text", text: `sampled:${content.type === "text" ? content.text : "?"}` }] };
  });
  server.registerTool("elicit", { description: "Asks the user for a name." }, async (extra) => {
    const result = await server.server.elicitInput(
      { message: "Your name?", requestedSchema: { type: "object", properties: { name: { type: "string" } }, required: ["name"] } },
      { relatedRequestId: extra.requestId });
    return { content: [{ type: "text", text: `elicited:${result.action}:${result.content?.name ?? ""}` }] };
  });
  return server;
}

if (process.argv.includes("--stdio")) {
  await createServer().connect(new StdioServerTransport());
} else if (process.argv.includes("--legacy-sse")) {
  const streams = new Map();
  const httpServer = http.createServer(async (req, res) => {
    const url = new URL(req.url, "http://localhost");
    if (url.pathname === "/mcp" && req.method === "GET") {
      const transport = new SSEServerTransport("/messages", res);
      streams.set(transport.sessionId, transport);
      res.on("close", () => streams.delete(transport.sessionId));
      await createServer().connect(transport);
      return;
    }

    const transport = url.pathname === "/messages" && req.method === "POST" ? streams.get(url.searchParams.get("sessionId")) : undefined;
    if (transport) {
      await transport.handlePostMessage(req, res);
      return;
    }

    res.writeHead(url.pathname === "/mcp" ? 405 : 404).end();
  });
  httpServer.listen(0, "127.0.0.1", () => console.log(`LISTENING ${httpServer.address().port}`));
} else {
  const transports = new Map();
  const httpServer = http.createServer(async (req, res) => {
    const url = new URL(req.url, "http://localhost");
    if (url.pathname === "/drop-sessions" && req.method === "POST") {
      const all = [...transports.values()];
      transports.clear();
      for (const t of all) await t.close();
      res.writeHead(200).end();
      return;
    }

    if (url.pathname !== "/mcp") {
      res.writeHead(404).end();
      return;
    }

    let body;
    if (req.method === "POST") {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      const text = Buffer.concat(chunks).toString();
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // What the SDK's own transport answers for a body that is not JSON (this script parses it first, to route).
        res.writeHead(400, { "content-type": "application/json" })
          .end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32700, message: "Parse error: Invalid JSON" }, id: null }));
        return;
      }
    }

    const sessionId = req.headers["mcp-session-id"];
    let transport = sessionId ? transports.get(sessionId) : undefined;
    if (sessionId && !transport) {
      res.writeHead(404, { "content-type": "application/json" })
        .end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32001, message: "Session not found" }, id: null }));
      return;
    }

    if (!transport) {
      if (req.method !== "POST" || !isInitializeRequest(body)) {
        res.writeHead(400, { "content-type": "application/json" })
          .end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message: "Bad Request: Mcp-Session-Id header is required" }, id: null }));
        return;
      }

      const created = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => transports.set(id, created),
      });
      created.onclose = () => { if (created.sessionId) transports.delete(created.sessionId); };
      await createServer().connect(created);
      transport = created;
    }

    await transport.handleRequest(req, res, body);
  });
  httpServer.listen(0, "127.0.0.1", () => console.log(`LISTENING ${httpServer.address().port}`));
}
