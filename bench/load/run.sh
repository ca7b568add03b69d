#!/usr/bin/env bash
# End-to-end load harness: McpSharp (stateful JSON, stateful SSE, stateless) next to the bare-Kestrel ceiling and the
# TypeScript SDK (stateful JSON, stateful SSE, stateless), all with the same echo tool, on 127.0.0.1, one at a time on
# this machine; plus McpSharp's stdio server next to the official C# SDK's, driven by the same client.
# Load tool: wrk (Debian package), 2 threads, with mcp.lua (MCP headers, a unique JSON-RPC id per request). wrk is a
# small C program, so it takes less of the 2 cores than a .NET load generator would; the multi-step scenarios (churn,
# memory) use the C# driver in bench/McpSharp.LoadDriver.
#   bash bench/load/run.sh [seconds per measurement, default 10] [all | http | stdio | redis | strict]
#   (http or stdio: only that part; redis: the Redis backend next to the in-memory one, and three nodes behind the
#   round-robin proxy of samples/Cluster; needs redis-server; strict: McpSharp next to the official C# SDK's HTTP
#   server and the strict ceilings, in interleaved rounds, ROUNDS of them (default 5), ratios taken within each round)
# Writes bench/load/results/latest.md.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
secs=${1:-10}
only=${2:-all}
out=$here/results; mkdir -p "$out"; report=$out/latest.md; rm -f "$out"/stdio-*.txt

command -v wrk >/dev/null || { apt-get update -qq >/dev/null && apt-get install -y -qq wrk >/dev/null; }
for p in bench/McpSharp.LoadServer bench/McpSharp.LoadDriver bench/OfficialSdkStdioServer bench/StdioCeilingServer bench/OfficialSdkHttpServer samples/EverythingServer; do
  dotnet build -c Release "$root/$p" -v q -nologo >/dev/null || { echo "build of $p failed"; exit 1; }
done
(cd "$here/ts" && npm ci --no-audit --no-fund >/dev/null 2>&1) || { echo "npm ci failed"; exit 1; }
server_dll=$root/bench/McpSharp.LoadServer/bin/Release/net10.0/McpSharp.LoadServer.dll
driver="dotnet $root/bench/McpSharp.LoadDriver/bin/Release/net10.0/McpSharp.LoadDriver.dll"
official_dll=$root/bench/OfficialSdkStdioServer/bin/Release/net10.0/OfficialSdkStdioServer.dll
ceiling_dll=$root/bench/StdioCeilingServer/bin/Release/net10.0/StdioCeilingServer.dll

# Starts a server in the background that prints "LISTENING <url>"; kept in spawned (for the final kill).
spawned=()
spawn() { # log-file command... -> spawned_url, spawned_pid
  local f=$1; shift
  "$@" > "$f" 2>&1 & spawned+=($!); spawned_pid=$!
  for _ in $(seq 100); do grep -q '^LISTENING ' "$f" && break; sleep 0.1; done
  spawned_url=$(grep -m1 '^LISTENING ' "$f" | cut -d' ' -f2 | tr -d ',')
}
log=$(mktemp); pid=""
start() { # command... -> sets url
  "$@" > "$log" 2>&1 & pid=$!
  for _ in $(seq 1 100); do grep -q '^LISTENING ' "$log" && break; sleep 0.1; done
  url=$(grep -m1 '^LISTENING ' "$log" | cut -d' ' -f2)
}
stop() { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }
session() { # url -> a new initialized session id
  local sid
  sid=$(curl -s -D - -o /dev/null -X POST "$1" -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
    -d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"wrk","version":"1"}}}' \
    | grep -i '^mcp-session-id:' | cut -d' ' -f2 | tr -d '\r')
  curl -s -o /dev/null -X POST "$1" -H "MCP-Session-Id: $sid" -H 'MCP-Protocol-Version: 2025-11-25' -H 'Content-Type: application/json' \
    -H 'Accept: application/json, text/event-stream' -d '{"jsonrpc":"2.0","method":"notifications/initialized"}'
  echo "$sid"
}
load() { # name connections sessions-csv [era] -> a table row
  SESSIONS=$3 ERA=${4:-} wrk -t2 -c"$2" -d3s -s "$here/mcp.lua" "$url" > /dev/null 2>&1
  SESSIONS=$3 ERA=${4:-} wrk -t2 -c"$2" -d"${secs}s" --latency -s "$here/mcp.lua" "$url" > "$out/wrk.txt" 2>&1
  local rps p50 p99 errors
  rps=$(grep 'Requests/sec' "$out/wrk.txt" | awk '{print $2}')
  p50=$(grep -E '^ +50%' "$out/wrk.txt" | awk '{print $2}')
  p99=$(grep -E '^ +99%' "$out/wrk.txt" | awk '{print $2}')
  errors=$(grep -Eo 'Non-2xx or 3xx responses: [0-9]+' "$out/wrk.txt" | grep -Eo '[0-9]+$' || echo 0)
  echo "| $1 | $2 | $rps | $p50 | $p99 | ${errors:-0} |" | tee -a "$report"
}

{
  echo "# Load results ($(date -u +%Y-%m-%d\ %H:%M) UTC)"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(dotnet --version) SDK; node $(node --version); wrk -t2, ${secs}s per row after a 3s warm-up."
  echo
  echo "| Server / scenario | Connections | Requests/s | p50 | p99 | Errors |"
  echo "|---|---:|---:|---:|---:|---:|"
} > "$report"

if [ "$only" = redis ]; then
  command -v redis-server >/dev/null || { echo "redis-server is not installed"; exit 1; }
  dotnet build -c Release "$root/samples/Cluster/ClusterProxy" -v q -nologo >/dev/null || { echo "build of ClusterProxy failed"; exit 1; }
  redis_port=6391
  redis-server --port $redis_port --bind 127.0.0.1 --save "" --appendonly no > /dev/null & spawned+=($!)
  sleep 1
  # Scripts and publishes Redis ran, in all.
  redis_calls() { redis-cli -p $redis_port info commandstats | grep -E '^cmdstat_(evalsha|eval|publish):' | grep -Eo 'calls=[0-9]+' | cut -d= -f2 | awk '{s+=$1} END {print s+0}'; }

  start dotnet "$server_dll" --mode json
  sid=$(session "$url"); load "McpSharp stateful json, one session, in-memory backend" 16 "$sid"; load "McpSharp stateful json, one session, in-memory backend" 64 "$sid"
  stop
  start dotnet "$server_dll" --mode json --redis 127.0.0.1:$redis_port
  sid=$(session "$url"); load "McpSharp stateful json, one session, Redis backend" 16 "$sid"; load "McpSharp stateful json, one session, Redis backend" 64 "$sid"
  # Redis round trips per request: a separate 5 s run, counted on both sides.
  before=$(redis_calls)
  SESSIONS=$sid wrk -t2 -c64 -d5s -s "$here/mcp.lua" "$url" > "$out/wrk-count.txt" 2>&1
  after=$(redis_calls); requests=$(grep -Eo '[0-9]+ requests in' "$out/wrk-count.txt" | grep -Eo '^[0-9]+')
  echo "| Redis scripts and publishes per tools/call (5 s at 64 connections: $((after - before)) for $requests requests) | $(awk "BEGIN {printf \"%.2f\", ($after - $before) / $requests}") |" | tee -a "$report"
  stop
  nodes=()
  for n in 1 2 3; do spawn "$out/node$n.log" dotnet "$server_dll" --mode json --redis 127.0.0.1:$redis_port; nodes+=(--node "${spawned_url%/mcp}"); done
  spawn "$out/proxy.log" dotnet "$root/samples/Cluster/ClusterProxy/bin/Release/net10.0/ClusterProxy.dll" --urls http://127.0.0.1:0 "${nodes[@]}"
  url="$spawned_url/mcp"
  sid=$(session "$url"); load "McpSharp stateful json, one session, 3 nodes on Redis behind a round-robin proxy" 64 "$sid"
  kill "${spawned[@]}" 2>/dev/null; wait 2>/dev/null
  rm -f "$log" "$out/wrk.txt" "$out/wrk-count.txt" "$out"/node*.log "$out/proxy.log"; echo "written: $report"; exit 0
fi

if [ "$only" = strict ]; then
  # Every server runs at once (idle ones cost nothing), so a round measures them back to back under the same
  # conditions; each ratio is taken within one round, and the medians of the rounds are reported.
  official_http_dll=$root/bench/OfficialSdkHttpServer/bin/Release/net10.0/OfficialSdkHttpServer.dll
  sample_dll=$root/samples/EverythingServer/bin/Release/net10.0/EverythingServer.dll
  rounds=${ROUNDS:-5}; data=$out/strict.tsv; : > "$data"
  declare -A url_of sid_of arg_of pid_of
  start_named() { # name command... -> url_of[name], pid_of[name]
    local name=$1; shift
    spawn "$out/$name.log" "$@"; url_of[$name]=$spawned_url; pid_of[$name]=$spawned_pid
  }
  start_named ceiling-json dotnet "$server_dll" --mode ceiling
  start_named ceiling-sse dotnet "$server_dll" --mode ceiling-sse
  start_named mcpsharp-sse dotnet "$server_dll" --mode sse
  start_named mcpsharp-stateless dotnet "$server_dll" --mode stateless
  start_named mcpsharp-stateless-json dotnet "$server_dll" --mode stateless-json
  start_named official-sse dotnet "$official_http_dll" --mode sse
  start_named official-stateless dotnet "$official_http_dll" --mode stateless
  # The sample as shipped (its appsettings.json: Information, Microsoft.AspNetCore at Warning), stateful SSE.
  sample_port=$(( 20000 + RANDOM % 20000 ))
  (cd "$root/samples/EverythingServer/bin/Release/net10.0" && exec dotnet "$sample_dll" --urls "http://127.0.0.1:$sample_port") > "$out/sample.log" 2>&1 & spawned+=($!); pid_of[sample-sse]=$!
  url_of[sample-sse]="http://127.0.0.1:$sample_port/mcp"; arg_of[sample-sse]=message
  for _ in $(seq 100); do curl -s -o /dev/null "${url_of[sample-sse]}" && break; sleep 0.1; done
  cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
  names=(ceiling-json ceiling-sse mcpsharp-sse mcpsharp-stateless mcpsharp-stateless-json official-sse official-stateless sample-sse)
  for name in mcpsharp-sse official-sse sample-sse; do sid_of[$name]=$(session "${url_of[$name]}"); done
  for name in "${names[@]}"; do [ -n "${url_of[$name]}" ] || { echo "$name did not start"; kill "${spawned[@]}"; exit 1; }; done
  # One warm-up pass over every server first (JIT tiers, pools, the GC's budgets) before any round is measured.
  for name in "${names[@]}"; do
    SESSIONS=${sid_of[$name]:-} ARG=${arg_of[$name]:-text} wrk -t2 -c64 -d5s -s "$here/mcp.lua" "${url_of[$name]}" > /dev/null 2>&1
  done
  for conns in 16 64; do
    for round in $(seq "$rounds"); do
      for name in "${names[@]}"; do
        SESSIONS=${sid_of[$name]:-} ARG=${arg_of[$name]:-text} wrk -t2 -c"$conns" -d2s -s "$here/mcp.lua" "${url_of[$name]}" > /dev/null 2>&1
        cpu_before=$(cpu_ticks "${pid_of[$name]}")
        SESSIONS=${sid_of[$name]:-} ARG=${arg_of[$name]:-text} wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$here/mcp.lua" "${url_of[$name]}" > "$out/wrk.txt" 2>&1
        cpu_after=$(cpu_ticks "${pid_of[$name]}")
        requests=$(grep -Eo '[0-9]+ requests in' "$out/wrk.txt" | grep -Eo '^[0-9]+')
        # The server's own CPU per request (user + system, from /proc), in microseconds: what it costs whoever runs it,
        # independent of how much of the two cores the load generator takes.
        cpu_us=$(awk -v t=$((cpu_after - cpu_before)) -v r="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", t * 1000000 / hz / r}')
        rps=$(grep 'Requests/sec' "$out/wrk.txt" | awk '{print $2}')
        p99=$(grep -E '^ +99%' "$out/wrk.txt" | awk '{print $2}')
        errors=$(grep -Eo 'Non-2xx or 3xx responses: [0-9]+' "$out/wrk.txt" | grep -Eo '[0-9]+$' || true)
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$conns" "$round" "$rps" "$p99" "${errors:-0}" "$cpu_us" | tee -a "$data"
      done
    done
  done
  kill "${spawned[@]}" 2>/dev/null; wait 2>/dev/null
  column() { awk -F'\t' -v n="$1" -v c="$2" -v k="${3:-4}" '$1==n && $2==c {print $k}' "$data"; }
  median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
  ratios() { paste <(column "$1" "$3" "${4:-4}") <(column "$2" "$3" "${4:-4}") | awk '{printf "%.2f\n", $1/$2}'; }
  {
    echo
    echo "Strict, interleaved: $rounds rounds of ${secs} s per server after a 2 s warm-up, every server in every round."
    echo
    echo "| Server | Connections | Requests/s (median) | p99 (median) | Server CPU per request (median) | Non-2xx |"
    echo "|---|---:|---:|---:|---:|---:|"
  } >> "$report"
  for conns in 16 64; do
    for name in "${names[@]}"; do
      p99s=$(awk -F'\t' -v n="$name" -v c="$conns" '$1==n && $2==c {v=$5+0; if ($5 ~ /us$/) v/=1000; else if ($5 ~ /[0-9]s$/) v*=1000; print v}' "$data" | median)
      errs=$(awk -F'\t' -v n="$name" -v c="$conns" '$1==n && $2==c {s+=$6} END {print s+0}' "$data")
      echo "| $name | $conns | $(column "$name" "$conns" | median) | ${p99s} ms | $(column "$name" "$conns" 7 | median) us | $errs |" | tee -a "$report"
    done
  done
  { echo; echo "| Ratio within each round | Connections | Median | Rounds |"; echo "|---|---:|---:|---|"; } >> "$report"
  for conns in 16 64; do
    for pair in "mcpsharp-sse ceiling-sse" "mcpsharp-stateless ceiling-sse" "mcpsharp-stateless-json ceiling-json" \
                "mcpsharp-sse official-sse" "mcpsharp-stateless official-stateless" "mcpsharp-stateless-json official-stateless" \
                "sample-sse ceiling-sse" "official-sse ceiling-sse" "official-stateless ceiling-sse"; do
      set -- $pair
      echo "| $1 / $2 | $conns | $(ratios "$1" "$2" "$conns" | median) | $(ratios "$1" "$2" "$conns" | paste -sd' ') |" | tee -a "$report"
    done
  done
  { echo; echo "| Server CPU per request, within each round | Connections | Median | Rounds |"; echo "|---|---:|---:|---|"; } >> "$report"
  for conns in 16 64; do
    for pair in "official-sse mcpsharp-sse" "official-stateless mcpsharp-stateless" "official-stateless mcpsharp-stateless-json" \
                "mcpsharp-sse ceiling-sse" "mcpsharp-stateless-json ceiling-json"; do
      set -- $pair
      echo "| $1 / $2 | $conns | $(ratios "$1" "$2" "$conns" 7 | median) | $(ratios "$1" "$2" "$conns" 7 | paste -sd' ') |" | tee -a "$report"
    done
  done
  rm -f "$log" "$out/wrk.txt" "$out"/*.log; echo "written: $report (raw rounds: $data)"; exit 0
fi

if [ "$only" != stdio ]; then
start dotnet "$server_dll" --mode ceiling; load "ceiling (bare Kestrel, canned result)" 16 ""; load "ceiling (bare Kestrel, canned result)" 64 ""; stop

for mode in json sse; do
  start dotnet "$server_dll" --mode $mode
  sid=$(session "$url"); load "McpSharp stateful $mode, one session" 16 "$sid"; load "McpSharp stateful $mode, one session" 64 "$sid"
  many=$(for _ in $(seq 64); do session "$url"; done | paste -sd,); load "McpSharp stateful $mode, 64 sessions" 64 "$many"
  # The same (hybrid) endpoint serves revision 2026-07-28 requests per request, next to its sessions.
  if [ "$mode" = json ]; then load "McpSharp 2026-07-28 per request (same endpoint)" 16 "" 2026; load "McpSharp 2026-07-28 per request (same endpoint)" 64 "" 2026; fi
  stop
done
start dotnet "$server_dll" --mode stateless; load "McpSharp stateless" 16 ""; load "McpSharp stateless" 64 ""; stop

for mode in json sse; do
  start node --expose-gc "$here/ts/server.mjs" --mode $mode
  sid=$(session "$url"); load "TypeScript SDK stateful $mode, one session" 16 "$sid"; load "TypeScript SDK stateful $mode, one session" 64 "$sid"
  stop
done
start node --expose-gc "$here/ts/server.mjs" --mode stateless; load "TypeScript SDK stateless" 16 ""; stop

{
  echo
  echo "| Lifecycle and memory | Result |"
  echo "|---|---|"
} >> "$report"
start dotnet "$server_dll" --mode json
echo "| McpSharp session churn (initialize + initialized + call + DELETE), 16 parallel | $($driver churn "$url" "$secs" 16) |" | tee -a "$report"
echo "| McpSharp memory per idle session (10,000 sessions) | $($driver sessions "$url" 10000) |" | tee -a "$report"
stop
start dotnet "$server_dll" --mode json
echo "| McpSharp memory across 100,000 calls on one session (JSON) | $($driver calls "$url" 100000 16) |" | tee -a "$report"
stop
start dotnet "$server_dll" --mode sse
echo "| McpSharp memory across 100,000 calls on one session (SSE) | $($driver calls "$url" 100000 16) |" | tee -a "$report"
stop
start node --expose-gc "$here/ts/server.mjs" --mode json
echo "| TypeScript SDK session churn, 16 parallel | $($driver churn "$url" "$secs" 16) |" | tee -a "$report"
echo "| TypeScript SDK memory per idle session (10,000 sessions) | $($driver sessions "$url" 10000) |" | tee -a "$report"
stop
start node --expose-gc "$here/ts/server.mjs" --mode json
echo "| TypeScript SDK memory across 100,000 calls on one session (JSON) | $($driver calls "$url" 100000 16) |" | tee -a "$report"
stop

fi

if [ "$only" = http ]; then rm -f "$log" "$out/wrk.txt"; echo "written: $report"; exit 0; fi

# stdio: seven interleaved rounds (this machine is noisy); a round runs the three servers back to back, so each ratio
# is taken within one round, and the medians are reported. Every stdio process (client and servers) runs with the
# workstation GC the official server is built with (the HTTP load server's project asks for the server GC).
# The ceiling is a process that only answers (bench/StdioCeilingServer: canned results, no SDK): what this client and
# these pipes allow at all.
rounds=7
for round in $(seq $rounds); do
  DOTNET_gcServer=0 $driver stdio "$secs" dotnet "$server_dll" --mode stdio >> "$out/stdio-mcpsharp.txt"
  DOTNET_gcServer=0 $driver stdio "$secs" dotnet "$official_dll" >> "$out/stdio-official.txt"
  DOTNET_gcServer=0 $driver stdio "$secs" dotnet "$ceiling_dll" >> "$out/stdio-ceiling.txt"
done
values() { grep -Eo "$1=[0-9]+" "$2" | cut -d= -f2; }
median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
ratios() { paste <(values "$1" "$out/stdio-$2.txt") <(values "$1" "$out/stdio-official.txt") | awk '{printf "%.2f\n", $1/$2}'; }
for f in mcpsharp official ceiling; do
  echo "| stdio: ${f} server, McpSharp client, median of $rounds rounds | sequential $(values stdio_sequential_per_second "$out/stdio-$f.txt" | median)/s, 16 in flight $(values stdio_16_in_flight_per_second "$out/stdio-$f.txt" | median)/s |" | tee -a "$report"
done
# The ceiling / official line says what is possible at all: a server that does no work, next to the official one.
for f in mcpsharp ceiling; do
  for phase in sequential 16_in_flight; do
    echo "| stdio: $f / official within each round, $phase | median $(ratios stdio_${phase}_per_second $f | median)x; rounds $(ratios stdio_${phase}_per_second $f | paste -sd' ') |" | tee -a "$report"
  done
done
for f in mcpsharp official ceiling; do echo "stdio rounds, $f: $(tr '\n' ' ' < "$out/stdio-$f.txt")"; done
rm -f "$out/stdio-mcpsharp.txt" "$out/stdio-official.txt" "$out/stdio-ceiling.txt"
rm -f "$log" "$out/wrk.txt"
echo "written: $report"
