using System.Text.Json;

namespace Vats.KernelClient;

/// <summary>
/// The kernel's answer to a syscall: <c>["ok", data]</c> or <c>["error", problem]</c>. The data is null for
/// most syscalls, a string (or null) for the vatstore reads, and capdata for <c>callNow</c>.
/// </summary>
/// <remarks>The supervisor turns an error into <c>Error("syscall.&lt;type&gt; failed: &lt;problem&gt;")</c> thrown in the vat.</remarks>
public sealed record VatSyscallResult
{
    private VatSyscallResult(string? problem, JsonElement? data)
    {
        Problem = problem;
        Data = data;
    }

    /// <summary>True for <c>["ok", data]</c>, false for <c>["error", problem]</c>.</summary>
    public bool IsOk => Problem is null;

    /// <summary>The problem of an error result; null for ok.</summary>
    public string? Problem { get; }

    /// <summary>The data of an ok result, in JSON.stringify's form; null when it is JSON null or the result is an error.</summary>
    public JsonElement? Data { get; }

    /// <summary><c>["ok",null]</c>.</summary>
    /// <returns>The result.</returns>
    public static VatSyscallResult Ok() => new(null, null);

    /// <summary><c>["ok", value]</c>, or <c>["ok",null]</c> for a null value (a vatstore read).</summary>
    /// <param name="value">The string, or null.</param>
    /// <returns>The result.</returns>
    public static VatSyscallResult Ok(string? value) => new(null, value is null ? null : JsonValues.FromTree(value));

    /// <summary><c>["ok", capdata]</c>: a device's answer to <c>callNow</c>.</summary>
    /// <param name="value">The marshalled device result.</param>
    /// <returns>The result.</returns>
    public static VatSyscallResult Ok(CapData value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(null, JsonValues.FromCanonical(LiveslotsJson.ToJson(value)));
    }

    /// <summary><c>["ok", data]</c> with any JSON data, kept as JavaScript would hold it after JSON.parse.</summary>
    /// <param name="data">The data.</param>
    /// <returns>The result.</returns>
    public static VatSyscallResult Ok(JsonElement data)
    {
        var owned = JsonValues.Own(data, "syscall result data");
        return new(null, owned.ValueKind == JsonValueKind.Null ? null : owned);
    }

    /// <summary><c>["error", problem]</c>, e.g. <c>syscall translation error: prepare to die</c>.</summary>
    /// <param name="problem">What went wrong.</param>
    /// <returns>The result.</returns>
    public static VatSyscallResult Error(string problem) => new(problem ?? throw new ArgumentNullException(nameof(problem)), null);

    /// <summary>The data as a string (a vatstore read).</summary>
    /// <returns>The string, or null when the data is null.</returns>
    /// <exception cref="InvalidOperationException">The result is an error.</exception>
    /// <exception cref="LiveslotsFormatException">The data is neither a string nor null.</exception>
    public string? GetString()
    {
        var tree = DataTree();
        return tree is null ? null : new Shape("syscall result").String(tree, "$[1]", "the data");
    }

    /// <summary>The data as capdata (a <c>callNow</c> answer).</summary>
    /// <returns>The capdata.</returns>
    /// <exception cref="InvalidOperationException">The result is an error.</exception>
    /// <exception cref="LiveslotsFormatException">The data is not capdata.</exception>
    public CapData GetCapData() => new Shape("syscall result").CapData(DataTree(), "$[1]");

    /// <inheritdoc/>
    public bool Equals(VatSyscallResult? other) =>
        other is not null && Problem == other.Problem && JsonValues.Equal(Data, other.Data);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Problem, JsonValues.Hash(Data));

    /// <summary>The JSON text, exactly as JavaScript's JSON.stringify writes it.</summary>
    /// <returns>For example <c>["ok",null]</c>.</returns>
    public override string ToString() => LiveslotsJson.ToJson(this);

    private object? DataTree()
    {
        if (!IsOk) throw new InvalidOperationException($"the syscall failed: {Problem}");
        return Data is { } data ? JsonValues.ToTree(data, "syscall result") : null;
    }
}
