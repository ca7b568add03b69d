using System.Globalization;
using McpSharp.Protocol;
using McpSharp.Server;
using Microsoft.Extensions.Configuration;

namespace McpSharp.Hosting;

/// <summary>
/// Reads options from configuration by hand. The binder's source generator refuses the protocol types these options
/// hold (required members, <c>JsonObject</c>), and the reflection binder is not trimming-safe, so each supported key is
/// read here explicitly; a value that does not parse fails start-up with its full key in the message.
/// </summary>
internal static class ConfigurationReader
{
    public static void Bind(McpServerOptions options, IConfiguration section)
    {
        var info = section.GetSection("ServerInfo");
        if (info.Exists())
        {
            options.ServerInfo = new Implementation
            {
                Name = info["Name"] ?? options.ServerInfo.Name,
                Version = info["Version"] ?? options.ServerInfo.Version,
                Title = info["Title"] ?? options.ServerInfo.Title,
                Description = info["Description"] ?? options.ServerInfo.Description,
                WebsiteUrl = info["WebsiteUrl"] ?? options.ServerInfo.WebsiteUrl,
                Icons = options.ServerInfo.Icons,
            };
        }

        options.Instructions = section["Instructions"] ?? options.Instructions;
        Read<int>(section, "PageSize", v => options.PageSize = Positive(section, "PageSize", v));
        Read<bool>(section, "IncludeExceptionMessages", v => options.IncludeExceptionMessages = v);
        var jsonRpc = section.GetSection("JsonRpc");
        Read<int>(jsonRpc, "MaxConcurrentRequests", v => options.JsonRpc.MaxConcurrentRequests = Positive(jsonRpc, "MaxConcurrentRequests", v));
        Read<int>(jsonRpc, "MaxQueuedRequests", v => options.JsonRpc.MaxQueuedRequests = Positive(jsonRpc, "MaxQueuedRequests", v));
        Read<TimeSpan>(jsonRpc, "RequestTimeout", v => options.JsonRpc.RequestTimeout = v);
        Read<TimeSpan>(jsonRpc, "ShutdownTimeout", v => options.JsonRpc.ShutdownTimeout = v);
        Read<bool>(section, "IncludeServerInfoInResults", v => options.IncludeServerInfoInResults = v);
        var caching = section.GetSection("Caching");
        Read<TimeSpan>(caching, "ListTimeToLive", v => options.Caching.ListTimeToLive = v);
        Read<TimeSpan>(caching, "ResourceTimeToLive", v => options.Caching.ResourceTimeToLive = v);
        Read<TimeSpan>(caching, "DiscoverTimeToLive", v => options.Caching.DiscoverTimeToLive = v);
        ReadEnum<CacheScope>(caching, "Scope", v => options.Caching.Scope = v);
        var requestState = section.GetSection("RequestState");
        Read<TimeSpan>(requestState, "Lifetime", v => options.RequestState.Lifetime = v);
        if (requestState["Key"] is { } key)
        {
            // Base64, at least 32 bytes: every process that may serve a retry needs the same key.
            options.RequestState.Key = Convert.TryFromBase64String(key, new byte[key.Length], out int length) && length >= 32
                ? Convert.FromBase64String(key)
                : throw new InvalidOperationException($"Configuration value '{Path(requestState, "Key")}' must be Base64 of at least 32 bytes.");
        }
    }

    /// <summary>Parses <paramref name="key"/> of <paramref name="section"/> when present (invariant culture).</summary>
    public static void Read<T>(IConfiguration section, string key, Action<T> apply)
        where T : IParsable<T>
    {
        string? text = section[key];
        if (text is null)
        {
            return;
        }

        if (!T.TryParse(text, CultureInfo.InvariantCulture, out var value))
        {
            throw new InvalidOperationException($"Configuration value '{Path(section, key)}' = '{text}' is not a valid {typeof(T).Name}.");
        }

        apply(value);
    }

    /// <summary>Parses the enum value <paramref name="key"/> of <paramref name="section"/> when present (names, any case).</summary>
    public static void ReadEnum<T>(IConfiguration section, string key, Action<T> apply)
        where T : struct, Enum
    {
        string? text = section[key];
        if (text is null)
        {
            return;
        }

        if (!Enum.TryParse<T>(text, ignoreCase: true, out var value) || !Enum.IsDefined(value))
        {
            throw new InvalidOperationException($"Configuration value '{Path(section, key)}' = '{text}' is not one of {string.Join(", ", Enum.GetNames<T>())}.");
        }

        apply(value);
    }

    /// <summary>The children of <paramref name="key"/> as a list of strings (<c>Key:0</c>, <c>Key:1</c>...).</summary>
    public static IEnumerable<string> List(IConfiguration section, string key) =>
        section.GetSection(key).GetChildren().Select(c => c.Value).OfType<string>();

    public static int Positive(IConfiguration section, string key, int value) =>
        value > 0 ? value : throw new InvalidOperationException($"Configuration value '{Path(section, key)}' must be positive.");

    private static string Path(IConfiguration section, string key) => section is IConfigurationSection s ? s.Path + ":" + key : key;
}
