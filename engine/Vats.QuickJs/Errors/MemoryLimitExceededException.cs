namespace Vats.QuickJs;

/// <summary>
/// The heap needed to grow beyond <see cref="EngineOptions.MemoryLimitBytes"/> while
/// <see cref="EngineOptions.MemoryLimitAborts"/> is set: the engine stopped at once and is faulted, as xsnap's worker
/// exits when its allocation limit is reached.
/// </summary>
public sealed class MemoryLimitExceededException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MemoryLimitExceededException(long limitBytes)
        : base($"the JavaScript heap reached its limit of {limitBytes} bytes; the engine is faulted")
    {
        LimitBytes = limitBytes;
    }

    /// <summary>The limit that was reached, in bytes of wasm memory.</summary>
    public long LimitBytes { get; }
}
