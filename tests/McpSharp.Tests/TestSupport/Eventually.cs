namespace McpSharp.Tests.TestSupport;

/// <summary>
/// Waits for state that another thread reaches on its own (a request finished, a handler started). A poll with a
/// deadline, never a stand-in for a timer: anything timed runs on <see cref="TestClock"/>.
/// </summary>
public static class Eventually
{
    public static async Task WaitUntilAsync(Func<bool> condition, string what = "the condition")
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(10);
        }
    }

    public static async Task WaitUntilAsync(Func<ValueTask<bool>> condition, string what = "the condition")
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(10);
        }
    }
}
