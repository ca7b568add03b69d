-- wrk script: POSTs tools/call(echo) with the MCP headers and a JSON-RPC id unique across threads and requests.
-- SESSIONS (env): comma-separated session ids, used round robin (empty: stateless, no MCP-Session-Id header).
-- ERA=2026 (env): a revision 2026-07-28 request instead: the standard headers (Mcp-Method, Mcp-Name) and the
-- per-request _meta (protocol version, client capabilities, client info) in the body; no session.
-- ARG (env): the echo tool's argument name (default "text"; the sample's echo takes "message").
local threads = {}
local next_thread = 0

function setup(thread)
  next_thread = next_thread + 1
  thread:set("tid", next_thread)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  modern = os.getenv("ERA") == "2026"
  arg = os.getenv("ARG") or "text"
  sessions = {}
  local list = os.getenv("SESSIONS") or ""
  for id in string.gmatch(list, "[^,]+") do table.insert(sessions, id) end
end

function request()
  counter = counter + 1
  local id = tid * 1000000000 + counter
  local headers = {
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/json, text/event-stream",
    ["MCP-Protocol-Version"] = "2025-11-25",
  }
  local meta = ""
  if modern then
    headers["MCP-Protocol-Version"] = "2026-07-28"
    headers["Mcp-Method"] = "tools/call"
    headers["Mcp-Name"] = "echo"
    meta = ',"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/clientInfo":{"name":"wrk","version":"1"}}'
  elseif #sessions > 0 then
    headers["MCP-Session-Id"] = sessions[(counter % #sessions) + 1]
  end
  local body = '{"jsonrpc":"2.0","id":' .. id .. ',"method":"tools/call","params":{"name":"echo","arguments":{"' .. arg .. '":"hello"}' .. meta .. '}}'
  return wrk.format("POST", nil, headers, body)
end

errors = 0
function response(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
end
