namespace Vats.KernelClient;

/// <summary>
/// Serialized data with capability slots, <c>{"body":…,"slots":[…]}</c>: a marshalled value whose body
/// (normally smallcaps, <c>'#'</c> + JSON) refers to the objects and promises listed in <see cref="Slots"/> by index.
/// </summary>
/// <param name="Body">The marshalled body; the worker transport never interprets it (see <see cref="Smallcaps"/>).</param>
/// <param name="Slots">The vrefs (<c>o+N</c>, <c>o-N</c>, <c>p+N</c>, <c>p-N</c>, <c>d-N</c>, …) the body refers to.</param>
public sealed record CapData(string Body, IReadOnlyList<string> Slots)
{
    /// <summary>Data with no slots.</summary>
    /// <param name="body">The marshalled body.</param>
    public CapData(string body)
        : this(body, [])
    {
    }

    /// <summary>The marshalled body.</summary>
    public string Body { get; init; } = Body ?? throw new ArgumentNullException(nameof(Body));

    /// <summary>The vrefs the body refers to, by index; compared element by element.</summary>
    public IReadOnlyList<string> Slots { get; init => field = ValueList<string>.Copy(value, nameof(Slots)); } =
        ValueList<string>.Copy(Slots, nameof(Slots));

    /// <summary>The JSON text, exactly as JavaScript's JSON.stringify writes it.</summary>
    /// <returns>For example <c>{"body":"#1","slots":[]}</c>.</returns>
    public override string ToString() => LiveslotsJson.ToJson(this);
}
