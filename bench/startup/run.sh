#!/usr/bin/env bash
# Cold start and memory over stdio, Native AOT and JIT side by side, with the official C# SDK's stdio server both ways.
#   bash bench/startup/run.sh [RUNS]      (default 20 runs per row; prints a Markdown table)
# Publishes into /tmp/mcpsharp-startup (artifacts of its own, nothing in the repository's bin/obj is touched):
#   the sample (samples/EverythingServer: generic host, DI, configuration, every feature), AOT (its project sets
#   PublishAot) and framework-dependent JIT (-p:PublishAot=false); the official SDK's stdio server
#   (bench/OfficialSdkStdioServer: one echo tool, no host), JIT and AOT (-p:PublishAot=true); and its like for
#   McpSharp (bench/McpSharpStdioServer: an McpServer with the same echo tool, no host), AOT (its project sets
#   PublishAot) and JIT.
# Every row runs with workstation GC (DOTNET_gcServer=0; the Web SDK's default is server GC, which reserves a heap
# per core and is not what a stdio server wants), so memory compares like with like.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-20}
out=/tmp/mcpsharp-startup
rm -rf "$out"
publish() { # project output extra-args...
  local project=$1 dir=$2; shift 2
  dotnet publish "$project" -c Release -o "$out/$dir" --artifacts-path "$out/artifacts-$dir" -nologo -p:NuGetAudit=false "$@" >"$out/$dir.log" 2>&1 \
    || { cat "$out/$dir.log"; exit 1; }
}
mkdir -p "$out"
publish samples/EverythingServer sample-aot
publish samples/EverythingServer sample-jit -p:PublishAot=false
publish bench/OfficialSdkStdioServer official-jit
publish bench/OfficialSdkStdioServer official-aot -p:PublishAot=true
publish bench/McpSharpStdioServer minimal-aot
publish bench/McpSharpStdioServer minimal-jit -p:PublishAot=false
dotnet build bench/McpSharp.StartupBench -c Release -nologo -v q >/dev/null

export DOTNET_gcServer=0
dotnet bench/McpSharp.StartupBench/bin/Release/net10.0/McpSharp.StartupBench.dll "$runs" \
  "McpSharp sample, Native AOT|$out/sample-aot/EverythingServer --stdio" \
  "McpSharp sample, JIT|dotnet $out/sample-jit/EverythingServer.dll --stdio" \
  "McpSharp McpServer + echo, Native AOT|$out/minimal-aot/McpSharpStdioServer" \
  "McpSharp McpServer + echo, JIT|dotnet $out/minimal-jit/McpSharpStdioServer.dll" \
  "official C# SDK 2.4.0 stdio server, Native AOT|$out/official-aot/OfficialSdkStdioServer" \
  "official C# SDK 2.4.0 stdio server, JIT|dotnet $out/official-jit/OfficialSdkStdioServer.dll"
ls -l "$out/sample-aot/EverythingServer" "$out/minimal-aot/McpSharpStdioServer" "$out/official-aot/OfficialSdkStdioServer" | awk '{printf "native executable: %s %.1f MiB\n", $9, $5/1048576}'
