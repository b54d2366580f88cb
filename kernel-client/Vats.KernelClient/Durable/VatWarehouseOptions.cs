namespace Vats.KernelClient.Durable;

/// <summary>Settings of a <see cref="VatWarehouse"/>: one options object for its vats, workers and store use.</summary>
public sealed record VatWarehouseOptions
{
    /// <summary>How its workers are started (the logger here logs the warehouse too). Names become <c>VATID</c>.</summary>
    public VatWorkerOptions Worker { get; init; } = new();

    /// <summary>The boot bundles of new vats; null: the pinned ones.</summary>
    public WorkerBundles? Bundles { get; init; }

    /// <summary>Most vats with a worker at once (SwingSet's <c>maxVatsOnline</c>, default 50); the least recently used is evicted.</summary>
    public int MaxOnline { get; init; } = 50;

    /// <summary>When vats take checkpoints on their own. Default: after every delivery.</summary>
    public CheckpointPolicy Checkpoints { get; init; } = CheckpointPolicy.EveryDelivery;

    /// <summary>
    /// Save a delivery's checkpoint in the background while the kernel goes on (default false: saved before
    /// <see cref="DurableVat.DeliverAsync"/> returns). The kernel then waits only for the worker's capture; the save
    /// is finished before the vat's next capture, restore or eviction, and until then the store does not list it.
    /// The transcript entry is stored before the delivery returns either way, so a crash of the kernel's process
    /// during a save costs at most a replay of that delivery. Worth it where a spare core runs the save.
    /// </summary>
    public bool SaveInBackground { get; init; }

    /// <summary>Warmed-up workers kept waiting, so a vat comes back from the store quickly (0: start one when needed).</summary>
    public int SpareWorkers { get; init; } = 1;

    /// <summary>Called while a vat comes back from the store: (vat, deliveries replayed so far, deliveries to replay).</summary>
    public Action<string, int, int>? OnReplayProgress { get; init; }

    /// <summary>How often in a row a vat may fail to come back (restore and replay) before it is given up.</summary>
    public int MaxRestartAttempts { get; init; } = 3;
}
