using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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

    // One pinned cell rather than a field, so compiled code reads and writes it through a pointer it loads once per
    // call: a field of this class would cost precompiled code a load of the field's offset from a fixup cell at every
    // access (crossgen2 gives types of another assembly no fixed layout).
    private readonly ulong[] _cell = GC.AllocateArray<ulong>(1, pinned: true);

    /// <summary>The raw value bits; the interpreter reads and writes this directly.</summary>
    internal ref ulong Bits => ref MemoryMarshal.GetArrayDataReference(_cell);

    /// <summary>Address of <see cref="Bits"/> (pinned, alive as long as this object), for compiled code.</summary>
    internal unsafe nint Cell => (nint)Unsafe.AsPointer(ref Bits);

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
