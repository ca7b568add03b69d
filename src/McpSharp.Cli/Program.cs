using McpSharp.Cli;

// mcpsharp: list, call and read any MCP server. A target is a URL, or a stdio command after "--".
return await CliApp.RunAsync(args, Console.Out, Console.Error);
