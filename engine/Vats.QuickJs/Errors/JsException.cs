namespace Vats.QuickJs;

/// <summary>
/// A JavaScript exception surfaced in C#. Thrown by <see cref="JsOutcome.ValueOrThrow"/>; thrown by a host function,
/// it becomes a JavaScript error with this <see cref="JsError.Name"/> and <see cref="JsError.Message"/>.
/// </summary>
public sealed class JsException : Exception
{
    /// <summary>Wraps a thrown JavaScript value.</summary>
    public JsException(JsError error) : base(error.ToString()) => Error = error;

    /// <summary>Creates an exception that a host function throws into JavaScript, e.g. <c>("TypeError", "bad input")</c>.</summary>
    public JsException(string name, string message) : this(new JsError(name, message, ""))
    {
    }

    /// <summary>What was (or is to be) thrown.</summary>
    public JsError Error { get; }
}
