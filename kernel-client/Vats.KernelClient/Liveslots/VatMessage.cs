namespace Vats.KernelClient;

/// <summary>
/// A message to an object or promise, <c>{"methargs":capdata,"result":vpid|null}</c>: the method name and
/// arguments marshalled together as <c>[method, args]</c>, and the promise its result resolves.
/// </summary>
/// <param name="Methargs">The marshalled <c>[methodName, argsArray]</c>.</param>
/// <param name="Result">The vpid the result resolves, or null when no result is wanted.</param>
/// <remarks>
/// In a delivery a null result is written <c>"result":null</c>, as the kernel writes it; in a syscall it is
/// left out, as JSON.stringify drops liveslots' <c>undefined</c>. Reading accepts both and an absent result.
/// </remarks>
public sealed record VatMessage(CapData Methargs, string? Result)
{
    /// <summary>The marshalled <c>[methodName, argsArray]</c>.</summary>
    public CapData Methargs { get; init; } = Methargs ?? throw new ArgumentNullException(nameof(Methargs));

    /// <summary>The JSON text as a delivery carries it (<c>"result":null</c> when there is no result).</summary>
    /// <returns>For example <c>{"methargs":{"body":"#[\"later\",[]]","slots":[]},"result":"p-61"}</c>.</returns>
    public override string ToString() => LiveslotsJson.ToJson(this);
}
