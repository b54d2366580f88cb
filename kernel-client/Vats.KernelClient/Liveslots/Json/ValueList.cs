using System.Collections;

namespace Vats.KernelClient;

/// <summary>
/// The read-only list behind every list property of the shapes: a private copy (later changes to the caller's
/// list cannot leak in) with element-wise equality, so records holding lists compare by value.
/// </summary>
internal sealed class ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
    where T : notnull
{
    private readonly T[] items;

    private ValueList(T[] items) => this.items = items;

    public static ValueList<T> Copy(IEnumerable<T>? source, string paramName)
    {
        ArgumentNullException.ThrowIfNull(source, paramName);
        if (source is ValueList<T> already) return already;
        var items = source.ToArray();
        foreach (var item in items)
            if (item is null) throw new ArgumentException($"{paramName} must not contain null", paramName);
        return new ValueList<T>(items);
    }

    public T this[int index] => items[index];

    public int Count => items.Length;

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => items.GetEnumerator();

    public bool Equals(ValueList<T>? other) => other is not null && items.SequenceEqual(other.items);

    public override bool Equals(object? obj) => Equals(obj as ValueList<T>);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in items) hash.Add(item);
        return hash.ToHashCode();
    }

    public override string ToString() => "[" + string.Join(", ", items) + "]";
}
