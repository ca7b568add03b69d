// The most common tutorial shape of a TypeScript SDK server (issue 19): an Express app with stateful sessions and a
// route for POST /mcp only. Express answers every GET /mcp with its own HTML 404 page.
//   node express-post-only.mjs   prints "LISTENING <port>"; GET /session-count returns the live sessions
import { randomUUID } from "node:crypto";
import express from "express";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

const app = express();
app.use(express.json());
const transports = {};

app.post("/mcp", async (req, res) => {
  const sessionId = req.headers["mcp-session-id"];
  let transport;
  if (sessionId && transports[sessionId]) {
    transport = transports[sessionId];
  } else if (!sessionId && isInitializeRequest(req.body)) {
    transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => { transports[id] = transport; },
    });
    transport.onclose = () => { if (transport.sessionId) delete transports[transport.sessionId]; };
    const server = new McpServer({ name: "express-post-only", version: "1.0.0" });
    server.registerTool("echo", { description: "Echoes the text.", inputSchema: { text: z.string() } },
      async ({ text }) => ({ content: [{ type: "text", text: `express:${text}` }] }));
    await server.connect(transport);
  } else {
    res.status(400).json({ jsonrpc: "2.0", error: { code: -32000, message: "Bad Request: No valid session ID provided" }, id: null });
    return;
  }

  await transport.handleRequest(req, res, req.body);
});

app.get("/session-count", (_req, res) => res.json({ count: Object.keys(transports).length }));

const listener = app.listen(0, "127.0.0.1", () => console.log(`LISTENING ${listener.address().port}`));
