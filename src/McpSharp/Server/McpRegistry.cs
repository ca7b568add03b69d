namespace McpSharp.Server;

/// <summary>
/// A thread-safe set of server primitives (tools, resources, templates or prompts) kept sorted by key. Reads see an
/// immutable snapshot and never lock; changes copy the snapshot and raise <see cref="Changed"/>, which the server turns
/// into <c>notifications/*/list_changed</c>. Sorting by key makes list results deterministic and cursors stable.
/// </summary>
/// <typeparam name="TEntry">The registered primitive.</typeparam>
public abstract class McpRegistry<TEntry>
    where TEntry : class
{
    private readonly Lock _gate = new();
    private TEntry[] _items = [];

    private protected McpRegistry()
    {
    }

    /// <summary>Raised after an entry is added or removed.</summary>
    public event EventHandler? Changed;

    /// <summary>The number of entries.</summary>
    public int Count => Volatile.Read(ref _items).Length;

    /// <summary>The entries, sorted by key.</summary>
    public IReadOnlyList<TEntry> Items => Volatile.Read(ref _items);

    /// <summary>Removes the entry with <paramref name="key"/>; returns false when there is none.</summary>
    public bool Remove(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            var items = _items;
            int index = IndexOf(items, key);
            if (index < 0)
            {
                return false;
            }

            var copy = new TEntry[items.Length - 1];
            Array.Copy(items, 0, copy, 0, index);
            Array.Copy(items, index + 1, copy, index, items.Length - index - 1);
            Volatile.Write(ref _items, copy);
        }

        Changed?.Invoke(this, EventArgs.Empty);
        return true;
    }

    /// <summary>Finds an entry by key.</summary>
    public bool TryGet(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TEntry? entry)
    {
        ArgumentNullException.ThrowIfNull(key);
        var items = Volatile.Read(ref _items);
        int index = IndexOf(items, key);
        entry = index >= 0 ? items[index] : null;
        return entry is not null;
    }

    /// <summary>The key of an entry (name or URI).</summary>
    private protected abstract string KeyOf(TEntry entry);

    /// <summary>Adds an entry; throws when its key is taken.</summary>
    private protected void AddCore(TEntry entry)
    {
        string key = KeyOf(entry);
        lock (_gate)
        {
            var items = _items;
            int index = IndexOf(items, key);
            if (index >= 0)
            {
                throw new ArgumentException($"An entry named '{key}' is already registered.", nameof(entry));
            }

            index = ~index;
            var copy = new TEntry[items.Length + 1];
            Array.Copy(items, 0, copy, 0, index);
            copy[index] = entry;
            Array.Copy(items, index, copy, index + 1, items.Length - index);
            Volatile.Write(ref _items, copy);
        }

        Changed?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>One page of entries after <paramref name="cursor"/>, and the cursor of the next page if any.</summary>
    internal ArraySegment<TEntry> Page(string? cursor, int pageSize, out string? nextCursor)
    {
        var items = Volatile.Read(ref _items);
        int start = 0;
        if (cursor is not null)
        {
            int index = IndexOf(items, Cursor.Decode(cursor));
            start = index >= 0 ? index + 1 : ~index;
        }

        int count = Math.Min(Math.Max(1, pageSize), items.Length - start);
        nextCursor = start + count < items.Length ? Cursor.Encode(KeyOf(items[start + count - 1])) : null;
        return new ArraySegment<TEntry>(items, start, count);
    }

    private int IndexOf(TEntry[] items, string key)
    {
        int lo = 0, hi = items.Length - 1;
        while (lo <= hi)
        {
            int mid = lo + ((hi - lo) >> 1);
            int c = string.CompareOrdinal(KeyOf(items[mid]), key);
            if (c == 0)
            {
                return mid;
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }
}
