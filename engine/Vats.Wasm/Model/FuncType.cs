namespace Vats.Wasm.Model;

/// <summary>A function signature. Equality is structural, as the spec's type matching requires.</summary>
public sealed class FuncType : IEquatable<FuncType>
{
    /// <summary>Creates a signature.</summary>
    public FuncType(ValType[] parameters, ValType[] results)
    {
        Parameters = parameters;
        Results = results;
    }

    /// <summary>Parameter types, in order.</summary>
    public ValType[] Parameters { get; }

    /// <summary>Result types, in order.</summary>
    public ValType[] Results { get; }

    /// <inheritdoc/>
    public bool Equals(FuncType? other) =>
        other is not null
        && Parameters.AsSpan().SequenceEqual(other.Parameters)
        && Results.AsSpan().SequenceEqual(other.Results);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as FuncType);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var p in Parameters) hash.Add(p);
        hash.Add(0xFF);
        foreach (var r in Results) hash.Add(r);
        return hash.ToHashCode();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"[{string.Join(" ", Parameters.Select(p => p.Name()))}] -> [{string.Join(" ", Results.Select(r => r.Name()))}]";
}
