using Vats.Wasm.Errors;
using Vats.Wasm.Interpreter;
using Vats.Wasm.Runtime;

namespace Vats.Wasm.Compiler;

/// <summary>
/// Helpers compiled code calls for the rare or bulky operations. Where an operation can trap, the caller has
/// written its fuel to the shared state first and passes its function index and byte offset, so the trap is the
/// interpreter's. Semantics are copied from the interpreter's run loop, case by case.
/// </summary>
internal static unsafe class Support
{
    public static TrapException MakeTrap(int kind, int function, int offset) => new((TrapKind)kind, function, offset);

    /// <summary>The trap of a failed truncation check (<see cref="NumericOps.TruncI32S"/> and friends: 1 NaN, 2 range).</summary>
    public static int TruncationTrapKind(int code) => (int)(code == 1 ? TrapKind.InvalidConversionToInteger : TrapKind.IntegerOverflow);

    public static float NearestF32(float v) => MathF.Round(v, MidpointRounding.ToEven);

    public static double NearestF64(double v) => Math.Round(v, MidpointRounding.ToEven);

    /// <summary>call_indirect: the target, or a sentinel whose <see cref="CallTarget.Trap"/> says why not.</summary>
    public static CallTarget ResolveIndirect(object context, int table, int index, int typeIndex)
    {
        var c = (CompiledInstance)context;
        var elements = c.Tables[table].Elements;
        if ((uint)index >= (uint)elements.Length) return CallTarget.Undefined;
        var bits = elements[(uint)index];
        if (bits == 0) return CallTarget.Uninitialized;
        var address = bits - 1;
        var cache = c.ByAddress;
        var target = address < (ulong)cache.Length ? cache[address] : null;
        if (target is null)
        {
            target = c.Engine.TargetForAddress(c, address);
            if (target is null) return CallTarget.Uninitialized;
        }
        return target.TypeId == c.Code.TypeIds[typeIndex] ? target : CallTarget.Mismatch;
    }

    /// <summary>Called by a host adapter with the arguments' bits; leaves the results' bits in place.</summary>
    public static void CallHost(object target, ulong* values)
    {
        var t = (HostTarget)target;
        t.Function.Callback(new HostContext(t.Store, t.Caller), new Span<ulong>(values, t.ValueCount));
        var results = t.Function.Type.Results.Length;
        if (results > 1) new ReadOnlySpan<ulong>(values, results).CopyTo(t.State.Results);
    }

    /// <summary>Runs defined function <paramref name="defined"/> of the context's module on a fresh stack segment.</summary>
    public static ulong[] SwitchStack(object context, int defined, ulong[] args, int depthLeft, int slotsLeft)
    {
        var c = (CompiledInstance)context;
        var count = c.Code.ResultCounts[defined];
        var results = new ulong[Math.Max(1, count)];
        StackSegments.Run(c.State, () =>
        {
            fixed (ulong* a = args)
            fixed (ulong* r = results)
            {
                ((delegate*<object, ulong*, ulong*, int, int, void>)c.Code.Entries[defined])(c, a, r, depthLeft, slotsLeft);
            }
        });
        if (count > 1) results.AsSpan(0, count).CopyTo(c.State.Results);
        return results;
    }

    public static int MemoryGrow(int delta, object context) => ((CompiledInstance)context).Memory!.Grow((uint)delta);

    public static void MemoryInit(int d, int s, int n, object context, int segment, int function, int offset)
    {
        var c = (CompiledInstance)context;
        var data = c.Instance.DataSegments[segment].Span;
        var memory = c.Memory!;
        if ((ulong)(uint)s + (uint)n > (ulong)data.Length || (ulong)(uint)d + (uint)n > (ulong)memory.Length)
            throw MakeTrap((int)TrapKind.MemoryOutOfBounds, function, offset);
        data.Slice(s, n).CopyTo(memory.Buffer.AsSpan(d, n));
    }

    public static void MemoryCopy(int d, int s, int n, object context, int function, int offset)
    {
        var memory = ((CompiledInstance)context).Memory!;
        var length = (ulong)memory.Length;
        if ((ulong)(uint)s + (uint)n > length || (ulong)(uint)d + (uint)n > length)
            throw MakeTrap((int)TrapKind.MemoryOutOfBounds, function, offset);
        var b = (byte*)memory.BasePointer;
        Buffer.MemoryCopy(b + (uint)s, b + (uint)d, (uint)n, (uint)n);
    }

    public static void MemoryFill(int d, int v, int n, object context, int function, int offset)
    {
        var memory = ((CompiledInstance)context).Memory!;
        if ((ulong)(uint)d + (uint)n > (ulong)memory.Length) throw MakeTrap((int)TrapKind.MemoryOutOfBounds, function, offset);
        new Span<byte>((byte*)memory.BasePointer + (uint)d, n).Fill((byte)v);
    }

    public static void DataDrop(object context, int segment) => ((CompiledInstance)context).Instance.DropData(segment);

    public static void ElemDrop(object context, int segment) => ((CompiledInstance)context).Instance.DropElements(segment);

    public static long TableGet(int i, object context, int table, int function, int offset)
    {
        var elements = ((CompiledInstance)context).Tables[table].Elements;
        if ((uint)i >= (uint)elements.Length) throw MakeTrap((int)TrapKind.TableOutOfBounds, function, offset);
        return (long)elements[(uint)i];
    }

    public static void TableSet(int i, long value, object context, int table, int function, int offset)
    {
        var elements = ((CompiledInstance)context).Tables[table].Elements;
        if ((uint)i >= (uint)elements.Length) throw MakeTrap((int)TrapKind.TableOutOfBounds, function, offset);
        elements[(uint)i] = (ulong)value;
    }

    public static int TableSize(object context, int table) => ((CompiledInstance)context).Tables[table].Elements.Length;

    public static int TableGrow(long init, int n, object context, int table) => ((CompiledInstance)context).Tables[table].Grow((uint)n, (ulong)init);

    public static void TableFill(int i, long value, int n, object context, int table, int function, int offset)
    {
        var elements = ((CompiledInstance)context).Tables[table].Elements;
        if ((ulong)(uint)i + (uint)n > (ulong)elements.Length) throw MakeTrap((int)TrapKind.TableOutOfBounds, function, offset);
        elements.AsSpan((int)(uint)i, n).Fill((ulong)value);
    }

    public static void TableCopy(int d, int s, int n, object context, int dst, int src, int function, int offset)
    {
        var c = (CompiledInstance)context;
        CopyElements(c.Tables[src].Elements, c.Tables[dst].Elements, d, s, n, function, offset);
    }

    public static void TableInit(int d, int s, int n, object context, int table, int segment, int function, int offset)
    {
        var c = (CompiledInstance)context;
        CopyElements(c.Instance.ElementSegments[segment], c.Tables[table].Elements, d, s, n, function, offset);
    }

    private static void CopyElements(ulong[] src, ulong[] dst, int d, int s, int n, int function, int offset)
    {
        if ((ulong)(uint)s + (uint)n > (ulong)src.Length || (ulong)(uint)d + (uint)n > (ulong)dst.Length)
            throw MakeTrap((int)TrapKind.TableOutOfBounds, function, offset);
        Array.Copy(src, (int)(uint)s, dst, (int)(uint)d, (int)(uint)n);
    }
}
