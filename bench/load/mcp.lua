-- wrk script: POSTs tools/call(echo) with the MCP headers and a JSON-RPC id unique across threads and requests.
-- SESSIONS (env): comma-separated session ids, used round robin (empty: stateless, no MCP-Session-Id header).
local threads = {}
local next_thread = 0

function setup(thread)
  next_thread = next_thread + 1
  thread:set("tid", next_thread)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
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
  if #sessions > 0 then headers["MCP-Session-Id"] = sessions[(counter % #sessions) + 1] end
  local body = '{"jsonrpc":"2.0","id":' .. id .. ',"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello"}}}'
  return wrk.format("POST", nil, headers, body)
end

errors = 0
function response(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
end
