namespace Vats.Wasm.Model;

/// <summary>A WebAssembly value type, encoded as its binary-format byte.</summary>
public enum ValType : byte
{
    /// <summary>32-bit integer.</summary>
    I32 = 0x7F,
    /// <summary>64-bit integer.</summary>
    I64 = 0x7E,
    /// <summary>32-bit IEEE-754 float.</summary>
    F32 = 0x7D,
    /// <summary>64-bit IEEE-754 float.</summary>
    F64 = 0x7C,
    /// <summary>Reference to a function, or null.</summary>
    FuncRef = 0x70,
    /// <summary>Opaque host reference, or null.</summary>
    ExternRef = 0x6F,
}

/// <summary>Helpers on <see cref="ValType"/>.</summary>
public static class ValTypes
{
    /// <summary>True for funcref and externref.</summary>
    public static bool IsReference(this ValType type) => type is ValType.FuncRef or ValType.ExternRef;

    /// <summary>True when <paramref name="b"/> is a byte that encodes a (non-SIMD) value type.</summary>
    public static bool IsValueType(byte b) => b is 0x7F or 0x7E or 0x7D or 0x7C or 0x70 or 0x6F;

    /// <summary>The text-format name (i32, funcref, ...).</summary>
    public static string Name(this ValType type) => type switch
    {
        ValType.I32 => "i32",
        ValType.I64 => "i64",
        ValType.F32 => "f32",
        ValType.F64 => "f64",
        ValType.FuncRef => "funcref",
        ValType.ExternRef => "externref",
        _ => $"0x{(byte)type:x2}",
    };
}
