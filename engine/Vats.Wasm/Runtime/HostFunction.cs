using Vats.Wasm.Model;

namespace Vats.Wasm.Runtime;

/// <summary>What a host function sees of its call.</summary>
/// <param name="Store">The store running the call.</param>
/// <param name="Caller">The instance whose code made the call; null when the host called the function directly.</param>
public readonly record struct HostContext(Store Store, Instance? Caller)
{
    /// <summary>Memory 0 of the calling instance, if it has one.</summary>
    public Memory? Memory => Caller is { Memories.Length: > 0 } c ? c.Memories[0] : null;
}

/// <summary>
/// The raw host-function shape: <paramref name="values"/> holds the arguments' bits on entry (signature order)
/// and must hold the results' bits on return. Its length is max(parameters, results).
/// A host function may call exports again (re-entrancy). Exceptions it throws unwind the wasm frames
/// and reach the host that made the outermost call unchanged.
/// </summary>
public delegate void HostCallback(HostContext context, Span<ulong> values);

/// <summary>A function implemented in C#.</summary>
public sealed class HostFunction : Function
{
    /// <summary>Creates a host function with an explicit signature and a raw callback.</summary>
    public HostFunction(FuncType type, HostCallback callback) : base(type) => Callback = callback;

    /// <summary>The callback.</summary>
    public HostCallback Callback { get; }

    /// <inheritdoc/>
    public override void Invoke(ReadOnlySpan<ulong> args, Span<ulong> results)
    {
        var n = Math.Max(Type.Parameters.Length, Type.Results.Length);
        Span<ulong> values = n <= 16 ? stackalloc ulong[n] : new ulong[n];
        args.CopyTo(values);
        Callback(new HostContext(Store ?? throw new InvalidOperationException("host function is not registered in a store"), null), values);
        values[..Type.Results.Length].CopyTo(results);
    }

    /// <summary>() → ().</summary>
    public static HostFunction Create(Action action) =>
        new(new FuncType([], []), (_, _) => action());

    /// <summary>A numeric function of one argument (int, long, float or double).</summary>
    public static HostFunction Create<T1, TR>(Func<T1, TR> f) where T1 : struct where TR : struct =>
        new(new FuncType([NumericType<T1>()], [NumericType<TR>()]), (_, v) => v[0] = ToBits(f(FromBits<T1>(v[0]))));

    /// <summary>A numeric function of two arguments.</summary>
    public static HostFunction Create<T1, T2, TR>(Func<T1, T2, TR> f) where T1 : struct where T2 : struct where TR : struct =>
        new(new FuncType([NumericType<T1>(), NumericType<T2>()], [NumericType<TR>()]),
            (_, v) => v[0] = ToBits(f(FromBits<T1>(v[0]), FromBits<T2>(v[1]))));

    /// <summary>A numeric function of three arguments.</summary>
    public static HostFunction Create<T1, T2, T3, TR>(Func<T1, T2, T3, TR> f)
        where T1 : struct where T2 : struct where T3 : struct where TR : struct =>
        new(new FuncType([NumericType<T1>(), NumericType<T2>(), NumericType<T3>()], [NumericType<TR>()]),
            (_, v) => v[0] = ToBits(f(FromBits<T1>(v[0]), FromBits<T2>(v[1]), FromBits<T3>(v[2]))));

    /// <summary>A numeric action of one argument.</summary>
    public static HostFunction Create<T1>(Action<T1> f) where T1 : struct =>
        new(new FuncType([NumericType<T1>()], []), (_, v) => f(FromBits<T1>(v[0])));

    /// <summary>A numeric action of two arguments.</summary>
    public static HostFunction Create<T1, T2>(Action<T1, T2> f) where T1 : struct where T2 : struct =>
        new(new FuncType([NumericType<T1>(), NumericType<T2>()], []), (_, v) => f(FromBits<T1>(v[0]), FromBits<T2>(v[1])));

    // The typeof checks below are JIT-time constants for value types, so each instantiation compiles to one conversion.
    private static ValType NumericType<T>() =>
        typeof(T) == typeof(int) ? ValType.I32
        : typeof(T) == typeof(long) ? ValType.I64
        : typeof(T) == typeof(float) ? ValType.F32
        : typeof(T) == typeof(double) ? ValType.F64
        : throw new ArgumentException($"{typeof(T)} is not a wasm numeric type (int, long, float, double)");

    private static T FromBits<T>(ulong bits)
    {
        if (typeof(T) == typeof(int)) return (T)(object)(int)(uint)bits;
        if (typeof(T) == typeof(long)) return (T)(object)(long)bits;
        if (typeof(T) == typeof(float)) return (T)(object)BitConverter.UInt32BitsToSingle((uint)bits);
        return (T)(object)BitConverter.UInt64BitsToDouble(bits);
    }

    private static ulong ToBits<T>(T value)
    {
        if (typeof(T) == typeof(int)) return (uint)(int)(object)value!;
        if (typeof(T) == typeof(long)) return (ulong)(long)(object)value!;
        if (typeof(T) == typeof(float)) return BitConverter.SingleToUInt32Bits((float)(object)value!);
        return BitConverter.DoubleToUInt64Bits((double)(object)value!);
    }
}
