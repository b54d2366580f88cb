using Vats.Wasm.Model;

namespace Vats.Wasm.Runtime;

/// <summary>A global variable.</summary>
public sealed class Global : Extern
{
    /// <summary>Creates a global with an initial value.</summary>
    public Global(GlobalType type, WasmValue initial)
    {
        if (initial.Type != type.ValType) throw new ArgumentException($"global is {type.ValType.Name()}, initial value is {initial.Type.Name()}", nameof(initial));
        Type = type;
        Bits = initial.Bits;
    }

    /// <summary>The global's type.</summary>
    public GlobalType Type { get; }

    /// <summary>The raw value bits; the interpreter reads and writes this directly.</summary>
    internal ulong Bits;

    /// <summary>The value. Setting an immutable global from the host is an error.</summary>
    public WasmValue Value
    {
        get => new(Type.ValType, Bits);
        set
        {
            if (!Type.Mutable) throw new InvalidOperationException("global is immutable");
            if (value.Type != Type.ValType) throw new ArgumentException($"global is {Type.ValType.Name()}, value is {value.Type.Name()}", nameof(value));
            Bits = value.Bits;
        }
    }

    /// <summary>Sets the bits whatever the mutability (instantiation, snapshot restore).</summary>
    internal void SetBits(ulong bits) => Bits = bits;
}
