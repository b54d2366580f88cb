using System.Runtime.CompilerServices;

namespace Vats.Wasm.Interpreter;

/// <summary>Float and conversion semantics of wasm that C# operators do not give directly.</summary>
internal static class NumericOps
{
    public const uint CanonicalF32 = 0x7FC00000;
    public const ulong CanonicalF64 = 0x7FF8000000000000;

    /// <summary>Bits of an f32 arithmetic result, canonicalizing NaN when asked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong F32(float v, bool canonical) =>
        float.IsNaN(v) && canonical ? CanonicalF32 : BitConverter.SingleToUInt32Bits(v);

    /// <summary>Bits of an f64 arithmetic result, canonicalizing NaN when asked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong F64(double v, bool canonical) =>
        double.IsNaN(v) && canonical ? CanonicalF64 : BitConverter.DoubleToUInt64Bits(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float AsF32(ulong bits) => BitConverter.UInt32BitsToSingle((uint)bits);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double AsF64(ulong bits) => BitConverter.UInt64BitsToDouble(bits);

    public static float Min(float a, float b)
    {
        if (float.IsNaN(a) || float.IsNaN(b)) return a + b;
        if (a == b) return BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(a) | BitConverter.SingleToUInt32Bits(b));
        return a < b ? a : b;
    }

    public static float Max(float a, float b)
    {
        if (float.IsNaN(a) || float.IsNaN(b)) return a + b;
        if (a == b) return BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(a) & BitConverter.SingleToUInt32Bits(b));
        return a > b ? a : b;
    }

    public static double Min(double a, double b)
    {
        if (double.IsNaN(a) || double.IsNaN(b)) return a + b;
        if (a == b) return BitConverter.UInt64BitsToDouble(BitConverter.DoubleToUInt64Bits(a) | BitConverter.DoubleToUInt64Bits(b));
        return a < b ? a : b;
    }

    public static double Max(double a, double b)
    {
        if (double.IsNaN(a) || double.IsNaN(b)) return a + b;
        if (a == b) return BitConverter.UInt64BitsToDouble(BitConverter.DoubleToUInt64Bits(a) & BitConverter.DoubleToUInt64Bits(b));
        return a > b ? a : b;
    }

    // Truncations: 0 = ok, 1 = NaN (invalid conversion), 2 = out of range (overflow).

    public static int TruncI32S(double x, out int result)
    {
        result = 0;
        if (double.IsNaN(x)) return 1;
        if (!(x > -2147483649.0 && x < 2147483648.0)) return 2;
        result = (int)x;
        return 0;
    }

    public static int TruncI32U(double x, out uint result)
    {
        result = 0;
        if (double.IsNaN(x)) return 1;
        if (!(x > -1.0 && x < 4294967296.0)) return 2;
        result = (uint)x;
        return 0;
    }

    public static int TruncI64S(double x, out long result)
    {
        result = 0;
        if (double.IsNaN(x)) return 1;
        if (!(x >= -9223372036854775808.0 && x < 9223372036854775808.0)) return 2;
        result = (long)x;
        return 0;
    }

    public static int TruncI64U(double x, out ulong result)
    {
        result = 0;
        if (double.IsNaN(x)) return 1;
        if (!(x > -1.0 && x < 18446744073709551616.0)) return 2;
        result = (ulong)x;
        return 0;
    }

    public static int SatI32S(double x) =>
        double.IsNaN(x) ? 0 : x <= -2147483648.0 ? int.MinValue : x >= 2147483647.0 ? int.MaxValue : (int)x;

    public static uint SatI32U(double x) =>
        double.IsNaN(x) || x <= 0 ? 0u : x >= 4294967295.0 ? uint.MaxValue : (uint)x;

    public static long SatI64S(double x) =>
        double.IsNaN(x) ? 0 : x <= -9223372036854775808.0 ? long.MinValue : x >= 9223372036854775808.0 ? long.MaxValue : (long)x;

    public static ulong SatI64U(double x) =>
        double.IsNaN(x) || x <= 0 ? 0ul : x >= 18446744073709551616.0 ? ulong.MaxValue : (ulong)x;

    /// <summary>u64 → f32 with a single rounding (a detour through double must not round twice).</summary>
    public static float U64ToF32(ulong x)
    {
        if (x < (1UL << 53)) return (float)(double)x;
        // Keep 53 significant bits plus a sticky bit for everything shifted out; the float rounding then sees
        // the same round/sticky information as from the full value, and the double steps are exact.
        var shift = 64 - System.Numerics.BitOperations.LeadingZeroCount(x) - 53;
        var w = (x >> shift) | ((x & ((1UL << shift) - 1)) != 0 ? 1UL : 0UL);
        return (float)Math.ScaleB((double)w, shift);
    }

    /// <summary>u64 → f64 with a single rounding.</summary>
    public static double U64ToF64(ulong x)
    {
        if ((long)x >= 0) return (long)x;
        var half = (x >> 1) | (x & 1);
        return (double)(long)half * 2.0;
    }

    /// <summary>i64 → f32 with a single rounding.</summary>
    public static float I64ToF32(long x)
    {
        // Values that fit in a double's mantissa convert exactly first; larger ones keep a sticky bit.
        if (x >= -(1L << 53) && x <= (1L << 53)) return (float)(double)x;
        var negative = x < 0;
        var magnitude = negative ? (ulong)(-x) : (ulong)x;
        var f = U64ToF32(magnitude);
        return negative ? -f : f;
    }
}
