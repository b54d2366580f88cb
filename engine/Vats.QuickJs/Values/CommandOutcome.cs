namespace Vats.QuickJs;

/// <summary>How an xsnap command (<c>e</c>, <c>?</c>, <c>s</c>, <c>m</c>) ended.</summary>
public enum CommandOutcomeKind
{
    /// <summary>The command completed and the event loop went idle: xsnap replies <c>.</c> with <see cref="CommandOutcome.Reply"/>.</summary>
    Replied,

    /// <summary>The command threw synchronously: xsnap replies <c>!</c> with <see cref="CommandOutcome.ErrorText"/>. The worker goes on.</summary>
    Threw,

    /// <summary>The fuel budget ran out (xsnap exits 17, "Compute meter exceeded"). The engine is faulted.</summary>
    FuelExhausted,

    /// <summary>
    /// The heap reached its limit while <see cref="EngineOptions.MemoryLimitAborts"/> was set (xsnap exits 11,
    /// "Allocate meter exceeded"). The engine is faulted.
    /// </summary>
    MemoryExhausted,

    /// <summary>
    /// An exception escaped a <c>setImmediate</c> callback or a promise job while the event loop ran (xsnap aborts the
    /// process then, exit 255). <see cref="CommandOutcome.ErrorText"/> says what was thrown.
    /// </summary>
    Aborted,
}

/// <summary>
/// The result of one xsnap command: the command ran, then the event loop ran to quiescence (promise jobs and
/// <c>setImmediate</c> callbacks), all in one meter period.
/// </summary>
public sealed record CommandOutcome
{
    private CommandOutcome(CommandOutcomeKind kind, byte[] reply, string errorText, long compute)
    {
        Kind = kind;
        Reply = reply;
        ErrorText = errorText;
        Compute = compute;
    }

    /// <summary>Which of the endings this is.</summary>
    public CommandOutcomeKind Kind { get; }

    /// <summary>
    /// For <see cref="CommandOutcomeKind.Replied"/>: the reply bytes: the command's value, or its <c>result</c> property
    /// when it has one, read after the loop went idle, if that is an ArrayBuffer; empty otherwise.
    /// </summary>
    public byte[] Reply { get; }

    /// <summary><c>String(exception)</c> for <see cref="CommandOutcomeKind.Threw"/> and <see cref="CommandOutcomeKind.Aborted"/>; empty otherwise.</summary>
    public string ErrorText { get; }

    /// <summary>Fuel the command used, its event loop included: xsnap's <c>compute</c> meter of the crank.</summary>
    public long Compute { get; }

    internal static CommandOutcome Replied(byte[] reply, long compute) => new(CommandOutcomeKind.Replied, reply, "", compute);

    internal static CommandOutcome Threw(string text, long compute) => new(CommandOutcomeKind.Threw, [], text, compute);

    internal static CommandOutcome Aborted(string text, long compute) => new(CommandOutcomeKind.Aborted, [], text, compute);

    internal static CommandOutcome OutOfFuel(long compute) => new(CommandOutcomeKind.FuelExhausted, [], "", compute);

    internal static CommandOutcome OutOfMemory(long compute) => new(CommandOutcomeKind.MemoryExhausted, [], "", compute);

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        CommandOutcomeKind.Replied => $"replied {Reply.Length} bytes (compute {Compute})",
        CommandOutcomeKind.Threw => $"threw {ErrorText} (compute {Compute})",
        CommandOutcomeKind.Aborted => $"aborted: {ErrorText} (compute {Compute})",
        CommandOutcomeKind.MemoryExhausted => $"memory limit reached (compute {Compute})",
        _ => $"fuel exhausted (compute {Compute})",
    };
}
