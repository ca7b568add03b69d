using Microsoft.Extensions.Time.Testing;

namespace McpSharp.Tests.TestSupport;

/// <summary>
/// The tests' clock: <see cref="FakeTimeProvider"/> (time moves only when a test calls <c>Advance</c>, and timers fire
/// then, on the caller's thread), plus a count of the armed timers, so that a test can wait until the code under test
/// has armed one before it moves time past it.
/// </summary>
public sealed class TestClock : FakeTimeProvider
{
    private readonly Lock _gate = new();
    private readonly HashSet<TrackedTimer> _armed = [];

    public TestClock()
        : base(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>The number of timers armed and not yet fired (a periodic timer stays armed).</summary>
    public int PendingTimers
    {
        get
        {
            lock (_gate)
            {
                return _armed.Count;
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var tracked = new TrackedTimer(this);
        tracked.Arm(dueTime, period);
        tracked.Inner = base.CreateTimer(s => tracked.Fire(callback, s), state, dueTime, period);
        return tracked;
    }

    /// <summary>Waits (in real time, for at most 10 s) until the code under test has armed <paramref name="count"/> timers.</summary>
    public async Task WaitForTimersAsync(int count = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (PendingTimers < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("No timer was armed.");
            }

            await Task.Delay(5);
        }
    }

    private sealed class TrackedTimer(TestClock clock) : ITimer
    {
        private bool _periodic;

        public ITimer Inner { get; set; } = null!;

        public void Arm(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._gate)
            {
                _periodic = period != Timeout.InfiniteTimeSpan && period != TimeSpan.Zero;
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    clock._armed.Remove(this);
                }
                else
                {
                    clock._armed.Add(this);
                }
            }
        }

        public void Fire(TimerCallback callback, object? state)
        {
            if (!_periodic)
            {
                lock (clock._gate)
                {
                    clock._armed.Remove(this);
                }
            }

            callback(state);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Arm(dueTime, period);
            return Inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            Arm(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
