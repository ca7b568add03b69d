#!/usr/bin/env bash
# Three nodes of the sample sharing their sessions in Redis, behind a round-robin proxy with no affinity (YARP): every
# request of a session may land on another node. Needs redis-server (apt-get install redis-server).
#   bash samples/Cluster/run.sh        then point any MCP client at http://127.0.0.1:3100/mcp; Ctrl+C stops everything
# Each node logs which requests it serves; watch one session move between them.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
redis_port=${REDIS_PORT:-6390}
command -v redis-server >/dev/null || { echo "redis-server is not installed (apt-get install redis-server)"; exit 1; }
dotnet build -c Release "$root/samples/EverythingServer" -v q -nologo >/dev/null || exit 1
dotnet build -c Release "$root/samples/Cluster/ClusterProxy" -v q -nologo >/dev/null || exit 1
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null' EXIT INT TERM
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no > /dev/null & pids+=($!)
nodes=()
for port in 3101 3102 3103; do
  Logging__LogLevel__McpSharp=Debug dotnet "$root/samples/EverythingServer/bin/Release/net10.0/EverythingServer.dll" \
    --urls "http://127.0.0.1:$port" --redis "127.0.0.1:$redis_port" > >(sed -u "s/^/[node $port] /") 2>&1 & pids+=($!)
  nodes+=(--node "http://127.0.0.1:$port")
done
dotnet "$root/samples/Cluster/ClusterProxy/bin/Release/net10.0/ClusterProxy.dll" --urls http://127.0.0.1:3100 "${nodes[@]}" \
  > >(sed -u "s/^/[proxy] /") 2>&1 & pids+=($!)
echo "cluster: http://127.0.0.1:3100/mcp (nodes on 3101-3103, Redis on $redis_port); Ctrl+C to stop"
wait
