using Vats.Wasm.Model;

namespace Vats.Wasm.Runtime;

/// <summary>
/// A typed WebAssembly value. Numbers are stored as raw bits (floats keep their NaN payloads). References are
/// handles: funcref = store address of the function + 1; externref = the host's handle; 0 is null for both.
/// </summary>
public readonly record struct WasmValue(ValType Type, ulong Bits)
{
    /// <summary>An i32.</summary>
    public static WasmValue I32(int value) => new(ValType.I32, (uint)value);

    /// <summary>An i64.</summary>
    public static WasmValue I64(long value) => new(ValType.I64, (ulong)value);

    /// <summary>An f32.</summary>
    public static WasmValue F32(float value) => new(ValType.F32, BitConverter.SingleToUInt32Bits(value));

    /// <summary>An f64.</summary>
    public static WasmValue F64(double value) => new(ValType.F64, BitConverter.DoubleToUInt64Bits(value));

    /// <summary>A null reference of the given type.</summary>
    public static WasmValue Null(ValType referenceType) => new(referenceType, 0);

    /// <summary>An externref with a non-null host handle (not 0).</summary>
    public static WasmValue ExternRef(ulong handle) => new(ValType.ExternRef, handle);

    /// <summary>A funcref to <paramref name="function"/>, or null.</summary>
    public static WasmValue FuncRef(Function? function) => new(ValType.FuncRef, function is null ? 0 : (ulong)function.Address + 1);

    /// <summary>The value as i32.</summary>
    public int AsI32() => (int)(uint)Bits;

    /// <summary>The value as i64.</summary>
    public long AsI64() => (long)Bits;

    /// <summary>The value as f32.</summary>
    public float AsF32() => BitConverter.UInt32BitsToSingle((uint)Bits);

    /// <summary>The value as f64.</summary>
    public double AsF64() => BitConverter.UInt64BitsToDouble(Bits);

    /// <summary>True for a null reference.</summary>
    public bool IsNull => Type.IsReference() && Bits == 0;

    /// <inheritdoc/>
    public override string ToString() => Type switch
    {
        ValType.I32 => $"i32:{AsI32()}",
        ValType.I64 => $"i64:{AsI64()}",
        ValType.F32 => $"f32:{AsF32()}",
        ValType.F64 => $"f64:{AsF64()}",
        _ => Bits == 0 ? $"{Type.Name()}:null" : $"{Type.Name()}:{Bits}",
    };
}
