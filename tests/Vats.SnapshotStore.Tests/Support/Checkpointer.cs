using Vats.QuickJs;

namespace Vats.SnapshotStore.Tests.Support;

/// <summary>
/// Checkpoints an engine into a store as a worker would: the first save full, then the pages a <see cref="PageTracker"/>
/// finds changed. Remembers what each snapshot must load back as (unless <see cref="RecordHashes"/> is off).
/// </summary>
internal sealed class Checkpointer(SnapshotStore store, string vatId, QuickJsEngine engine)
{
    private readonly PageTracker _tracker = new(store.PageSize);

    public SnapshotRoot? Last { get; private set; }

    public long Position { get; private set; } = -1;

    /// <summary>Whether to hash each checkpoint's state and memory for later comparison (16 MB of SHA-256 per checkpoint).</summary>
    public bool RecordHashes { get; init; } = true;

    /// <summary>Milliseconds spent in the store's save calls.</summary>
    public List<double> SaveMilliseconds { get; } = [];

    /// <summary>Each saved root with the SHA-256 of its state and memory (empty when not recorded).</summary>
    public List<(SnapshotRoot Root, long Position, string StateSha256, string MemorySha256)> Saved { get; } = [];

    public SaveResult Checkpoint(long? position = null)
    {
        Position = position ?? Position + 1;
        var state = engine.SnapshotWithoutMemory();
        var memory = engine.Memory;
        var size = store.PageSize;
        var changed = _tracker.Advance(memory);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        SaveResult result;
        if (Last is { } parent)
        {
            var changes = new List<PageChange>(changed.Count);
            foreach (var i in changed) changes.Add(new PageChange(i, memory.Slice(i * size, size).ToArray()));
            started = System.Diagnostics.Stopwatch.GetTimestamp();
            result = store.SaveDelta(vatId, Position, Heaps.Identity, parent, state, memory.Length, changes);
        }
        else result = store.SaveFull(vatId, Position, Heaps.Identity, state, memory);
        SaveMilliseconds.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        Last = result.Root;
        Saved.Add((result.Root, Position, RecordHashes ? Heaps.Sha256(state) : "", RecordHashes ? Heaps.Sha256(engine.Memory) : ""));
        return result;
    }
}
