namespace Vats.SnapshotStore;

/// <summary>
/// One delivery of a vat's transcript, texts exactly as the kernel client gave them (replay compares syscall texts
/// byte for byte).
/// </summary>
/// <param name="Position">The vat's delivery number: strictly increasing per vat.</param>
/// <param name="Delivery">The delivery, as JSON text.</param>
/// <param name="Syscalls">The syscalls it made, in order, each with its result.</param>
/// <param name="Result">The delivery's result with its meter usage, as JSON text.</param>
public sealed record TranscriptEntry(long Position, string Delivery, IReadOnlyList<TranscriptSyscall> Syscalls, string Result)
{
    /// <summary>Value equality, the syscalls compared in order.</summary>
    public bool Equals(TranscriptEntry? other) =>
        other is not null && Position == other.Position && string.Equals(Delivery, other.Delivery, StringComparison.Ordinal) &&
        string.Equals(Result, other.Result, StringComparison.Ordinal) && Syscalls.SequenceEqual(other.Syscalls);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Position, Delivery, Syscalls.Count, Result);
}

/// <summary>A syscall and the kernel's answer, as JSON texts.</summary>
/// <param name="Syscall">The syscall.</param>
/// <param name="Result">Its result.</param>
public sealed record TranscriptSyscall(string Syscall, string Result);

/// <summary>What a kernel needs to bring a vat back: its latest snapshot (if any) and the transcript entries after it.</summary>
/// <param name="Snapshot">The vat's latest snapshot, or null (replay from the start).</param>
/// <param name="Entries">The entries after the snapshot's position, in order.</param>
public sealed record ReplayPlan(SnapshotInfo? Snapshot, IReadOnlyList<TranscriptEntry> Entries);
