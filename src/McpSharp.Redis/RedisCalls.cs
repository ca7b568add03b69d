using McpSharp.AspNetCore.Sessions;
using StackExchange.Redis;

namespace McpSharp.Redis;

/// <summary>Runs a Redis call and turns "Redis cannot be reached" into the error the endpoint answers 503 for.</summary>
internal static class RedisCalls
{
    public static async Task<T> RunAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException || (ex is RedisServerException && ex.Message.StartsWith("LOADING", StringComparison.Ordinal)))
        {
            throw new McpBackendUnavailableException("Redis cannot be reached: " + ex.Message, ex);
        }
    }
}
