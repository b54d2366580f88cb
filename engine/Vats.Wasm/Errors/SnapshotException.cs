namespace Vats.Wasm.Errors;

/// <summary>A snapshot cannot be read or does not fit the instance it is restored into.</summary>
public sealed class SnapshotException : WasmException
{
    /// <summary>Creates the exception.</summary>
    public SnapshotException(long offset, string reason)
        : base($"bad snapshot at byte {offset}: {reason}")
    {
        Offset = offset;
        Reason = reason;
    }

    /// <summary>Byte offset in the snapshot where the problem was found (-1 when it concerns the whole).</summary>
    public long Offset { get; }

    /// <summary>What is wrong.</summary>
    public string Reason { get; }
}
