using System.Text.Json;

namespace Vats.KernelClient;

/// <summary>
/// The worker's reply to a delivery: <c>["ok", value, null]</c> or <c>["error", problem, null]</c>. The third
/// element is always null from the worker; the kernel puts the crank's <see cref="MeterUsage"/> there.
/// </summary>
/// <remarks>
/// An exception in vat code is not an error result: liveslots rejects the result promise instead. An error
/// result (e.g. <c>buildRootObject unresolved</c>) makes the kernel terminate the vat.
/// </remarks>
public sealed record VatDeliveryResult
{
    private VatDeliveryResult(string? problem, JsonElement? value)
    {
        Problem = problem;
        Value = value;
    }

    /// <summary>True for <c>["ok", …]</c>, false for <c>["error", …]</c>.</summary>
    public bool IsOk => Problem is null;

    /// <summary>The problem of an error result; null for ok.</summary>
    public string? Problem { get; }

    /// <summary>
    /// The value of an ok result: null except after <c>bringOutYourDead</c>, which reports retention statistics
    /// such as <c>{"remotableRefCounts":0,…,"slotToVal":5}</c>.
    /// </summary>
    public JsonElement? Value { get; }

    /// <summary><c>["ok",null,null]</c>.</summary>
    /// <returns>The result.</returns>
    public static VatDeliveryResult Ok() => new(null, null);

    /// <summary><c>["ok", value, null]</c>, kept as JavaScript would hold the value after JSON.parse.</summary>
    /// <param name="value">The value (retention statistics after <c>bringOutYourDead</c>).</param>
    /// <returns>The result.</returns>
    public static VatDeliveryResult Ok(JsonElement value)
    {
        var owned = JsonValues.Own(value, "delivery result value");
        return new(null, owned.ValueKind == JsonValueKind.Null ? null : owned);
    }

    /// <summary><c>["error", problem, null]</c>.</summary>
    /// <param name="problem">What went wrong.</param>
    /// <returns>The result.</returns>
    public static VatDeliveryResult Error(string problem) => new(problem ?? throw new ArgumentNullException(nameof(problem)), null);

    /// <inheritdoc/>
    public bool Equals(VatDeliveryResult? other) =>
        other is not null && Problem == other.Problem && JsonValues.Equal(Value, other.Value);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Problem, JsonValues.Hash(Value));

    /// <summary>The JSON text, exactly as JavaScript's JSON.stringify writes it.</summary>
    /// <returns>For example <c>["ok",null,null]</c>.</returns>
    public override string ToString() => LiveslotsJson.ToJson(this);
}
