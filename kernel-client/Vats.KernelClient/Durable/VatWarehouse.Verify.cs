using Microsoft.Extensions.Logging;
using Vats.Protocol;
using Vats.SnapshotStore;

namespace Vats.KernelClient.Durable;

public sealed partial class VatWarehouse
{
    /// <summary>
    /// Checks a vat's history without changing it: restores the snapshot at <paramref name="fromPosition"/> (default:
    /// the latest) in a worker of its own, replays every recorded delivery after it with each syscall checked, and at
    /// the last stored snapshot reached (or at every one, with <paramref name="compareEverySnapshot"/>) checks that the
    /// replayed heap has exactly the stored root. Throws <see cref="ReplayDivergenceException"/> or
    /// <see cref="HeapDivergenceException"/> at the first difference. The vat's own worker, if online, is untouched.
    /// </summary>
    /// <param name="vatId">The vat.</param>
    /// <param name="fromPosition">The position of a stored snapshot to start from; null: the latest.</param>
    /// <param name="compareEverySnapshot">Compare the heap at every stored snapshot passed, not only the last.</param>
    /// <param name="progress">Called with (deliveries replayed so far, deliveries to replay).</param>
    /// <param name="cancellationToken">Cancels (the verifying worker is killed).</param>
    public async Task<ReplayVerification> VerifyReplayAsync(string vatId, long? fromPosition = null, bool compareEverySnapshot = false,
        Action<int, int>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var snapshots = Store.List(vatId);
        if (snapshots.Count == 0) throw new KeyNotFoundException($"the store has no vat {vatId}");
        var from = fromPosition is { } p
            ? snapshots.FirstOrDefault(s => s.Position == p) ?? throw new ArgumentException(
                $"vat {vatId} has no snapshot at delivery {p} (it has {string.Join(", ", snapshots.Select(s => s.Position))})", nameof(fromPosition))
            : snapshots.MaxBy(s => s.Position)!;
        var entries = Store.ReadTranscript(vatId, from.Position);
        for (var i = 0; i < entries.Count; i++)
            if (entries[i].Position != from.Position + 1 + i)
                throw new ArgumentException($"vat {vatId}'s transcript after delivery {from.Position} is incomplete (pruned?): entry {from.Position + 1 + i} is missing");
        var end = entries.Count > 0 ? entries[^1].Position : from.Position;
        var checkpoints = snapshots.Where(s => s.Position > from.Position && s.Position <= end).ToDictionary(s => s.Position);
        var last = checkpoints.Count > 0 ? checkpoints.Keys.Max() : -1;

        var (vat, identity, _) = await RestoreSnapshotAsync(from.Root, $"{vatId}-replay", replenish: true, cancellationToken).ConfigureAwait(false);
        await using (vat.ConfigureAwait(false))
        {
            var compared = 0;
            progress?.Invoke(0, entries.Count);
            for (var i = 0; i < entries.Count; i++)
            {
                await TranscriptReplay.ReplayAsync(vat, vatId, entries[i], cancellationToken).ConfigureAwait(false);
                progress?.Invoke(i + 1, entries.Count);
                var position = entries[i].Position;
                if (!checkpoints.TryGetValue(position, out var stored) || (!compareEverySnapshot && position != last)) continue;
                // A full checkpoint: the worker's whole heap, hashed the way the store names snapshots.
                var checkpoint = await vat.Worker.CheckpointAsync(full: true, cancellationToken).ConfigureAwait(false);
                var root = Store.RootOf(vatId, position, identity, checkpoint.State.Span, checkpoint.BuildMemory());
                if (root != stored.Root)
                {
                    vat.Kill();
                    throw new HeapDivergenceException(vatId, position, stored.Root, root);
                }
                compared++;
            }
            Logger.LogInformation("vat {Vat}: replayed {Replayed} deliveries from snapshot {From}, {Compared} snapshots reproduced, in {Ms} ms",
                vatId, entries.Count, from.Position, compared, clock.ElapsedMilliseconds);
            return new ReplayVerification(vatId, from.Position, end, entries.Count, compared, clock.Elapsed);
        }
    }
}
