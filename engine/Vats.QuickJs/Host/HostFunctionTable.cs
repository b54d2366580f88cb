namespace Vats.QuickJs.Host;

/// <summary>
/// The host side of QuickJS's host references: each JavaScript function made by the host carries an id, and this
/// table maps live ids to the name and callback behind them until QuickJS reports the function finalized. Ids
/// and names (not callbacks) go into snapshots; a restored engine finds the callbacks again by name.
/// </summary>
internal sealed class HostFunctionTable
{
    private readonly SortedDictionary<int, Entry> _live = new();

    internal sealed record Entry(string Name, HostFunctionCallback Callback);

    /// <summary>The id the next function gets (ids start at 1; 0 means "not a host reference" to QuickJS).</summary>
    internal int NextId { get; private set; } = 1;

    internal int Count => _live.Count;

    internal IEnumerable<KeyValuePair<int, Entry>> Live => _live;

    internal int Add(string name, HostFunctionCallback callback)
    {
        var id = NextId++;
        _live.Add(id, new Entry(name, callback));
        return id;
    }

    internal bool TryGet(int id, out Entry entry) => _live.TryGetValue(id, out entry!);

    internal void Release(int id) => _live.Remove(id);

    internal void Restore(int nextId, IEnumerable<(int Id, string Name)> entries, Func<string, HostFunctionCallback> resolve)
    {
        _live.Clear();
        foreach (var (id, name) in entries) _live.Add(id, new Entry(name, resolve(name)));
        NextId = nextId;
    }
}
