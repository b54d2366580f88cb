using Vats.Wasm.Errors;
using Vats.Wasm.Model;

namespace Vats.Wasm.Runtime;

/// <summary>A table of references. Elements are reference bits as in <see cref="WasmValue"/> (0 = null).</summary>
public sealed class Table : Extern
{
    private readonly uint _cap;

    /// <summary>Creates a table at its minimum size filled with <paramref name="init"/>.</summary>
    public Table(TableType type, ulong init = 0, uint maxElementsCap = 10_000_000)
    {
        Type = type;
        _cap = Math.Min(type.Limits.Max ?? uint.MaxValue, maxElementsCap);
        if (type.Limits.Min > _cap)
            throw new ArgumentOutOfRangeException(nameof(type), $"table minimum {type.Limits.Min} exceeds the limit of {_cap} elements");
        Elements = new ulong[type.Limits.Min];
        if (init != 0) Array.Fill(Elements, init);
    }

    /// <summary>The table's type as declared.</summary>
    public TableType Type { get; }

    /// <summary>The elements; replaced by growth. Its length is the table size.</summary>
    internal ulong[] Elements;

    /// <summary>Current size.</summary>
    public uint Size => (uint)Elements.Length;

    /// <summary>Grows by <paramref name="delta"/> elements set to <paramref name="init"/>; returns the old size or -1.</summary>
    public int Grow(uint delta, ulong init)
    {
        var old = Size;
        if ((ulong)old + delta > _cap) return -1;
        if (delta == 0) return (int)old;
        var bigger = new ulong[old + delta];
        Elements.CopyTo(bigger, 0);
        if (init != 0) bigger.AsSpan((int)old).Fill(init);
        Elements = bigger;
        return (int)old;
    }

    /// <summary>Reads an element.</summary>
    public WasmValue Get(uint index)
    {
        if (index >= Size) throw new TrapException(TrapKind.TableOutOfBounds);
        return new WasmValue(Type.ElementType, Elements[index]);
    }

    /// <summary>Writes an element.</summary>
    public void Set(uint index, WasmValue value)
    {
        if (value.Type != Type.ElementType) throw new ArgumentException($"table holds {Type.ElementType.Name()}, got {value.Type.Name()}", nameof(value));
        if (index >= Size) throw new TrapException(TrapKind.TableOutOfBounds);
        Elements[index] = value.Bits;
    }

    /// <summary>Replaces all elements (snapshot restore).</summary>
    internal void Restore(ulong[] elements)
    {
        if ((uint)elements.Length > _cap) throw new ArgumentException("table image exceeds the table limit", nameof(elements));
        Elements = elements;
    }
}
