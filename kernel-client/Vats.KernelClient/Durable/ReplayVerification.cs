namespace Vats.KernelClient.Durable;

/// <summary>What <see cref="VatWarehouse.VerifyReplayAsync"/> checked.</summary>
/// <param name="VatId">The vat.</param>
/// <param name="FromPosition">The position of the snapshot the replay started from.</param>
/// <param name="ToPosition">The position of the last delivery replayed (<paramref name="FromPosition"/> if none).</param>
/// <param name="Replayed">Deliveries replayed, every syscall equal to the recorded one.</param>
/// <param name="SnapshotsCompared">Stored snapshots whose root the replayed heap reproduced exactly.</param>
/// <param name="Elapsed">Time from the start of the restore to the end of the last comparison.</param>
public sealed record ReplayVerification(string VatId, long FromPosition, long ToPosition, int Replayed, int SnapshotsCompared, TimeSpan Elapsed);
