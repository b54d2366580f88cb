namespace Vats.KernelClient.Durable;

/// <summary>When a durable vat takes a checkpoint (a snapshot in the store) on its own, besides eviction.</summary>
public sealed record CheckpointPolicy
{
    private CheckpointPolicy(int every) => Every = every;

    /// <summary>Deliveries between checkpoints; 0 = never (only at eviction and explicitly).</summary>
    public int Every { get; }

    /// <summary>After every delivery (the default): a restart replays nothing.</summary>
    public static CheckpointPolicy EveryDelivery { get; } = new(1);

    /// <summary>Never on its own: a restart replays everything since the last eviction or explicit checkpoint.</summary>
    public static CheckpointPolicy Never { get; } = new(0);

    /// <summary>After every <paramref name="deliveries"/>th delivery (SwingSet's default interval is 200).</summary>
    public static CheckpointPolicy EveryN(int deliveries)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(deliveries);
        return new(deliveries);
    }

    /// <summary>True when a checkpoint is due after the delivery at <paramref name="position"/>.</summary>
    internal bool IsDue(long position) => Every > 0 && position % Every == 0;

    /// <inheritdoc/>
    public override string ToString() => Every switch { 0 => "never", 1 => "every delivery", _ => $"every {Every} deliveries" };
}
