using System.ComponentModel;
using McpSharp.Authoring;

namespace McpServer1;

/// <summary>The server's tools: each [McpTool] method is one, its schema made from its parameters at compile time.</summary>
public static class Tools
{
    [McpTool(ReadOnly = true), Description("Echoes the message back.")]
    public static string Echo([Description("The text to echo.")] string message) => "Echo: " + message;

    [McpTool(ReadOnly = true), Description("The forecast for a city.")]
    public static Forecast GetForecast([Description("The city.")] string city, [Description("Days ahead, 0 for today.")] int days = 0) =>
        new(city, days, 18.5, "sunny");
}

/// <summary>A forecast: a record result is structured output, with an output schema.</summary>
/// <param name="City">The city.</param>
/// <param name="Days">Days ahead.</param>
/// <param name="TemperatureC">Degrees Celsius.</param>
/// <param name="Conditions">Sky and precipitation.</param>
public sealed record Forecast(string City, int Days, double TemperatureC, string Conditions);
