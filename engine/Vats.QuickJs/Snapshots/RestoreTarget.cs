namespace Vats.QuickJs;

/// <summary>
/// A QuickJS instance created ahead of a restore, for <see cref="QuickJsEngine.Restore(ReadOnlySpan{byte}, ReadOnlySpan{byte}, RestoreTarget)"/>:
/// instantiating the module and faulting in its linear memory cost several milliseconds that a worker waiting in a
/// pool can pay before it is needed instead of while a vat is coming back. The instance never runs anything before the
/// restore, so the restored engine is the same as one restored into a new instance.
/// </summary>
public sealed class RestoreTarget : IDisposable
{
    private QuickJsEngine? _engine;

    private RestoreTarget(QuickJsEngine engine) => _engine = engine;

    /// <summary>
    /// Creates the instance with <paramref name="options"/> (whose memory limit the restored engine keeps, as
    /// <c>memoryLimitFromOptions</c> does) and touches every page of its memory so the operating system has backed it.
    /// </summary>
    public static RestoreTarget Prepare(EngineOptions? options = null)
    {
        options ??= new EngineOptions();
        var engine = QuickJsEngine.CreateBlank(options);
        engine.TouchMemory();
        return new RestoreTarget(engine);
    }

    /// <summary>The size of the instance's memory now: a checkpoint's memory of this size is restored without reallocating it.</summary>
    public long MemoryBytes => _engine?.MemoryBytesNow ?? 0;

    /// <summary>
    /// The instance's memory itself when it is <paramref name="bytes"/> long (else empty), for the caller to write the
    /// snapshot's memory into and pass that same span to the restore: the restore then copies nothing.
    /// </summary>
    public Span<byte> MemoryToFill(long bytes) => _engine is { } engine && engine.MemoryBytesNow == bytes ? engine.WritableMemory : [];

    /// <summary>True until a restore has used the instance (or it was disposed).</summary>
    public bool IsAvailable => _engine is not null;

    internal QuickJsEngine Take()
    {
        var engine = _engine ?? throw new ObjectDisposedException(nameof(RestoreTarget), "the restore target was already used");
        _engine = null;
        return engine;
    }

    /// <summary>Drops the instance if no restore used it.</summary>
    public void Dispose() => _engine = null;
}
