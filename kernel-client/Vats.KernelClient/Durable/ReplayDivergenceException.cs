namespace Vats.KernelClient.Durable;

/// <summary>
/// Replaying a vat's transcript gave other syscalls than the recorded ones (SwingSet's "anachrophobia"): the vat is
/// not deterministic, or its snapshot, bundles or engine differ from those of the recording.
/// </summary>
public sealed class ReplayDivergenceException : VatWorkerException
{
    /// <summary>Creates the exception.</summary>
    public ReplayDivergenceException(string vatId, long position, int syscallIndex, string? expected, string? actual)
        : base($"vat {vatId} diverged replaying delivery {position} at syscall {syscallIndex}: recorded {expected ?? "(none)"}, replayed {actual ?? "(none)"}")
    {
        VatId = vatId;
        Position = position;
        SyscallIndex = syscallIndex;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The vat.</summary>
    public string VatId { get; }

    /// <summary>The transcript position of the delivery.</summary>
    public long Position { get; }

    /// <summary>Index of the first differing syscall within the delivery.</summary>
    public int SyscallIndex { get; }

    /// <summary>The recorded syscall's JSON (null: the recording had no more).</summary>
    public string? Expected { get; }

    /// <summary>The replayed syscall's JSON (null: the replay made no more).</summary>
    public string? Actual { get; }
}
