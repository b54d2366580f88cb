namespace Vats.QuickJs;

/// <summary>How an evaluation or call ended.</summary>
public enum JsOutcomeKind
{
    /// <summary>It completed with a value.</summary>
    Value,
    /// <summary>JavaScript threw (or the job or macrotask being run threw).</summary>
    Exception,
    /// <summary>The fuel budget ran out. The engine is faulted afterwards: restore a snapshot or dispose it.</summary>
    FuelExhausted,
}

/// <summary>
/// The result of running JavaScript: a value as JSON text, a thrown <see cref="JsError"/>, or fuel exhaustion.
/// </summary>
public sealed record JsOutcome
{
    private JsOutcome(JsOutcomeKind kind, string? json, JsError? error)
    {
        Kind = kind;
        Json = json;
        Error = error;
    }

    /// <summary>Which of the three endings this is.</summary>
    public JsOutcomeKind Kind { get; }

    /// <summary>
    /// For <see cref="JsOutcomeKind.Value"/>: <c>JSON.stringify</c> of the value, or null when it has no JSON form
    /// (<c>undefined</c>, a function, a symbol). A BigInt or cyclic value gives the JSON string of its <c>String()</c>.
    /// </summary>
    public string? Json { get; }

    /// <summary>For <see cref="JsOutcomeKind.Exception"/>: what was thrown.</summary>
    public JsError? Error { get; }

    /// <summary>True for <see cref="JsOutcomeKind.Value"/>.</summary>
    public bool IsValue => Kind == JsOutcomeKind.Value;

    /// <summary>The JSON text of a value outcome ("undefined" when it has none); throws <see cref="JsException"/> otherwise.</summary>
    public string ValueOrThrow() => Kind switch
    {
        JsOutcomeKind.Value => Json ?? "undefined",
        JsOutcomeKind.Exception => throw new JsException(Error!),
        _ => throw new FuelExhaustedException(),
    };

    internal static JsOutcome Value(string? json) => new(JsOutcomeKind.Value, json, null);

    internal static JsOutcome Thrown(JsError error) => new(JsOutcomeKind.Exception, null, error);

    internal static readonly JsOutcome OutOfFuel = new(JsOutcomeKind.FuelExhausted, null, null);

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        JsOutcomeKind.Value => Json ?? "undefined",
        JsOutcomeKind.Exception => $"throw {Error}",
        _ => "fuel exhausted",
    };
}
