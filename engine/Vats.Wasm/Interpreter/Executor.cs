using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Vats.Wasm.Errors;
using static Vats.Wasm.Interpreter.NumericOps;

namespace Vats.Wasm.Interpreter;

internal sealed unsafe partial class Interpreter
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte* MemoryPointer(InstanceContext context) =>
        context.Memory is { } m ? (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(m.Buffer)) : null;

    /// <summary>Moves a branch's or return's values to where the target expects them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MoveValues(ulong* dst, ulong* src, int n)
    {
        for (var i = 0; i < n; i++) dst[i] = src[i];
    }

    /// <summary>
    /// The br_table dispatch shared by both forms: <paramref name="table"/> points at bias, count, source slot
    /// and arity, followed by (target pc, destination slot) pairs, the default last. Moves the values and
    /// returns the target pc.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int BrTableTarget(int* table, ulong* r, uint value)
    {
        var index = value - (uint)table[0];
        var count = (uint)table[1];
        if (index > count) index = count;
        var e = table + 4 + 2 * (int)index;
        var n = table[3];
        if (n > 0)
        {
            var src = r + table[2];
            var dst = r + e[1];
            if (src != dst) MoveValues(dst, src, n);
        }
        return e[0];
    }

    /// <summary>table.copy and table.init: copies r[ip[5]] elements from r[ip[4]] to r[ip[3]]; false if out of bounds.</summary>
    private static bool CopyElements(ulong[] src, ulong[] dst, ulong* r, int* ip)
    {
        var d = (ulong)(uint)r[ip[3]];
        var s = (ulong)(uint)r[ip[4]];
        var n = (ulong)(uint)r[ip[5]];
        if (s + n > (ulong)src.Length || d + n > (ulong)dst.Length) return false;
        Array.Copy(src, (int)s, dst, (int)d, (int)n);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MemoryLength(InstanceContext context) => context.Memory is { } m ? (ulong)m.Length : 0;

    /// <summary>
    /// Runs <paramref name="entry"/> (frame at <paramref name="entryFp"/>, arguments in place) until it returns to
    /// the sentinel frame pushed by <see cref="Invoke"/>. Loop state lives in locals; the fields are synchronized
    /// before anything that can re-enter (host calls) and when leaving.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Run(CompiledFunction entry, int entryFp)
    {
        // Only what every operation needs is kept in locals (so the JIT can keep it in registers); the current
        // function, frame and instance live in fields, touched by calls and returns.
        _fnId = entry.Id;
        _fp = entryFp;
        _ctx = entry.Context;
        var r = _stackBase + entryFp;
        var c = entry.CodePtr;
        var ip = c;
        var mem = MemoryPointer(_ctx);
        var memLen = MemoryLength(_ctx);
        var fuel = _fuel;
        TrapKind trapKind;
        CompiledFunction callee;
        int argSlot, retPc;

        for (;;)
        {
            switch ((Op)(*ip))
            {
                case Op.Fuel:
                    goto chargeRun;
                case Op.Unreachable:
                    trapKind = TrapKind.Unreachable;
                    goto trap;
                // Every branch target and every instruction after a conditional branch is the Fuel operation
                // starting a run; branches charge that run themselves and skip it, saving a dispatch.
                case Op.Br:
                    ip = c + ip[1];
                    goto chargeRun;
                case Op.BrCopy:
                    MoveValues(r + ip[3], r + ip[2], ip[4]);
                    ip = c + ip[1];
                    goto chargeRun;
                case Op.BrIf:
                    ip = (uint)r[ip[1]] != 0 ? c + ip[2] : ip + 3;
                    goto chargeRun;
                case Op.BrIfCopy:
                    if ((uint)r[ip[1]] != 0)
                    {
                        MoveValues(r + ip[4], r + ip[3], ip[5]);
                        ip = c + ip[2];
                    }
                    else
                    {
                        ip += 6;
                    }
                    goto chargeRun;
                case Op.BrIfNot:
                    ip = (uint)r[ip[1]] == 0 ? c + ip[2] : ip + 3;
                    goto chargeRun;
                case Op.BrTable:
                    ip = c + BrTableTarget(ip + 2, r, (uint)r[ip[1]]);
                    goto chargeRun;
                case Op.Return0:
                    goto doReturn;
                case Op.Return1:
                    r[0] = r[ip[1]];
                    goto doReturn;
                case Op.Return:
                    MoveValues(r, r + ip[1], ip[2]);
                    goto doReturn;
                case Op.Call:
                    callee = _ctx.Callees[ip[1]];
                    argSlot = ip[2];
                    retPc = (int)(ip - c) + 3;
                    goto call;
                case Op.CallIndirect:
                {
                    var elements = _ctx.Tables[ip[2]].Elements;
                    var index = (uint)r[ip[3]];
                    if (index >= (uint)elements.Length)
                    {
                        trapKind = TrapKind.UndefinedElement;
                        goto trap;
                    }
                    var bits = elements[index];
                    if (bits == 0)
                    {
                        trapKind = TrapKind.UninitializedElement;
                        goto trap;
                    }
                    var target = ResolveAddress(bits);
                    if (target is null)
                    {
                        trapKind = TrapKind.UninitializedElement;
                        goto trap;
                    }
                    callee = target;
                    if (callee.TypeId != ip[1])
                    {
                        trapKind = TrapKind.IndirectCallTypeMismatch;
                        goto trap;
                    }
                    argSlot = ip[4];
                    retPc = (int)(ip - c) + 5;
                    goto call;
                }
                case Op.Copy:
                    r[ip[1]] = r[ip[2]];
                    ip += 3;
                    continue;
                case Op.Const:
                    r[ip[1]] = (uint)ip[2] | ((ulong)(uint)ip[3] << 32);
                    ip += 4;
                    continue;
                case Op.Copy2:
                    r[ip[1]] = r[ip[2]];
                    r[ip[3]] = r[ip[4]];
                    ip += 5;
                    continue;
                case Op.Const2:
                    r[ip[1]] = Unsafe.ReadUnaligned<ulong>(ip + 2);
                    r[ip[4]] = Unsafe.ReadUnaligned<ulong>(ip + 5);
                    ip += 7;
                    continue;
                case Op.Select:
                    r[ip[1]] = (uint)r[ip[4]] != 0 ? r[ip[2]] : r[ip[3]];
                    ip += 5;
                    continue;
                case Op.GlobalGet:
                    r[ip[1]] = _ctx.Globals[ip[2]].Bits;
                    ip += 3;
                    continue;
                case Op.GlobalSet:
                    _ctx.Globals[ip[1]].Bits = r[ip[2]];
                    ip += 3;
                    continue;
                case Op.MemorySize:
                    r[ip[1]] = _ctx.Memory!.Pages;
                    ip += 2;
                    continue;
                case Op.MemoryGrow:
                {
                    var old = _ctx.Memory!.Grow((uint)r[ip[2]]);
                    r[ip[1]] = (uint)old;
                    mem = MemoryPointer(_ctx);
                    memLen = MemoryLength(_ctx);
                    ip += 3;
                    continue;
                }
                case Op.MemoryInit:
                {
                    var data = _ctx.Instance.DataSegments[ip[1]].Span;
                    var d = (ulong)(uint)r[ip[2]];
                    var s = (ulong)(uint)r[ip[3]];
                    var n = (ulong)(uint)r[ip[4]];
                    if (s + n > (ulong)data.Length || d + n > memLen) goto oob;
                    data.Slice((int)s, (int)n).CopyTo(new Span<byte>(mem + d, (int)n));
                    ip += 5;
                    continue;
                }
                case Op.DataDrop:
                    _ctx.Instance.DropData(ip[1]);
                    ip += 2;
                    continue;
                case Op.MemoryCopy:
                {
                    var d = (ulong)(uint)r[ip[1]];
                    var s = (ulong)(uint)r[ip[2]];
                    var n = (ulong)(uint)r[ip[3]];
                    if (s + n > memLen || d + n > memLen) goto oob;
                    Buffer.MemoryCopy(mem + s, mem + d, (long)n, (long)n);
                    ip += 4;
                    continue;
                }
                case Op.MemoryFill:
                {
                    var d = (ulong)(uint)r[ip[1]];
                    var v = (byte)r[ip[2]];
                    var n = (ulong)(uint)r[ip[3]];
                    if (d + n > memLen) goto oob;
                    new Span<byte>(mem + d, (int)n).Fill(v);
                    ip += 4;
                    continue;
                }
                case Op.TableGet:
                {
                    var elements = _ctx.Tables[ip[2]].Elements;
                    var i = (uint)r[ip[3]];
                    if (i >= (uint)elements.Length) goto tableOob;
                    r[ip[1]] = elements[i];
                    ip += 4;
                    continue;
                }
                case Op.TableSet:
                {
                    var elements = _ctx.Tables[ip[1]].Elements;
                    var i = (uint)r[ip[2]];
                    if (i >= (uint)elements.Length) goto tableOob;
                    elements[i] = r[ip[3]];
                    ip += 4;
                    continue;
                }
                case Op.TableSize:
                    r[ip[1]] = (uint)_ctx.Tables[ip[2]].Elements.Length;
                    ip += 3;
                    continue;
                case Op.TableGrow:
                {
                    var init = r[ip[3]];
                    var n = (uint)r[ip[4]];
                    r[ip[1]] = (uint)_ctx.Tables[ip[2]].Grow(n, init);
                    ip += 5;
                    continue;
                }
                case Op.TableFill:
                {
                    var elements = _ctx.Tables[ip[1]].Elements;
                    var i = (ulong)(uint)r[ip[2]];
                    var v = r[ip[3]];
                    var n = (ulong)(uint)r[ip[4]];
                    if (i + n > (ulong)elements.Length) goto tableOob;
                    elements.AsSpan((int)i, (int)n).Fill(v);
                    ip += 5;
                    continue;
                }
                case Op.TableCopy:
                {
                    if (!CopyElements(_ctx.Tables[ip[2]].Elements, _ctx.Tables[ip[1]].Elements, r, ip)) goto tableOob;
                    ip += 6;
                    continue;
                }
                case Op.TableInit:
                {
                    if (!CopyElements(_ctx.Instance.ElementSegments[ip[2]], _ctx.Tables[ip[1]].Elements, r, ip)) goto tableOob;
                    ip += 6;
                    continue;
                }
                case Op.ElemDrop:
                    _ctx.Instance.DropElements(ip[1]);
                    ip += 2;
                    continue;
                case Op.RefIsNull:
                    r[ip[1]] = r[ip[2]] == 0 ? 1u : 0u;
                    ip += 3;
                    continue;
                case Op.I32Eq: r[ip[1]] = (uint)r[ip[2]] == (uint)r[ip[3]] ? 1u : 0u; ip += 4; continue;
                case Op.I32Ne: r[ip[1]] = (uint)r[ip[2]] != (uint)r[ip[3]] ? 1u : 0u; ip += 4; continue;
                case Op.I32LtS: r[ip[1]] = (int)r[ip[2]] < (int)r[ip[3]] ? 1u : 0u; ip += 4; continue;
                case Op.I32LtU: r[ip[1]] = (uint)r[ip[2]] < (uint)r[ip[3]] ? 1u : 0u; ip += 4; continue;
                case Op.I32GtS: r[ip[1]] = (int)r[ip[2]] > (int)r[ip[3]] ? 1u : 0u; ip += 4; continue;
                case Op.I32GtU: r[ip[1]] = (uint)r[ip[2]] > (uint)r[ip[3]] ? 1u : 0u; ip += 4; continue;
                case Op.I32LeS: r[ip[1]] = (int)r[ip[2]] <= (int)r[ip[3]] ? 1u : 0u; ip += 4; continue;
                case Op.I32LeU: r[ip[1]] = (uint)r[ip[2]] <= (uint)r[ip[3]] ? 1u : 0u; ip += 4; continue;
                case Op.I32GeS: r[ip[1]] = (int)r[ip[2]] >= (int)r[ip[3]] ? 1u : 0u; ip += 4; continue;
                case Op.I32GeU: r[ip[1]] = (uint)r[ip[2]] >= (uint)r[ip[3]] ? 1u : 0u; ip += 4; continue;
                case Op.I64Eq: r[ip[1]] = r[ip[2]] == r[ip[3]] ? 1u : 0u; ip += 4; continue;
                case Op.I64Ne: r[ip[1]] = r[ip[2]] != r[ip[3]] ? 1u : 0u; ip += 4; continue;
                case Op.I64LtS: r[ip[1]] = (long)r[ip[2]] < (long)r[ip[3]] ? 1u : 0u; ip += 4; continue;
                case Op.I64LtU: r[ip[1]] = r[ip[2]] < r[ip[3]] ? 1u : 0u; ip += 4; continue;
                case Op.I64GtS: r[ip[1]] = (long)r[ip[2]] > (long)r[ip[3]] ? 1u : 0u; ip += 4; continue;
                case Op.I64GtU: r[ip[1]] = r[ip[2]] > r[ip[3]] ? 1u : 0u; ip += 4; continue;
                case Op.I64LeS: r[ip[1]] = (long)r[ip[2]] <= (long)r[ip[3]] ? 1u : 0u; ip += 4; continue;
                case Op.I64LeU: r[ip[1]] = r[ip[2]] <= r[ip[3]] ? 1u : 0u; ip += 4; continue;
                case Op.I64GeS: r[ip[1]] = (long)r[ip[2]] >= (long)r[ip[3]] ? 1u : 0u; ip += 4; continue;
                case Op.I64GeU: r[ip[1]] = r[ip[2]] >= r[ip[3]] ? 1u : 0u; ip += 4; continue;
                case Op.F32Eq: r[ip[1]] = AsF32(r[ip[2]]) == AsF32(r[ip[3]]) ? 1u : 0u; ip += 4; continue;
                case Op.F32Ne: r[ip[1]] = AsF32(r[ip[2]]) != AsF32(r[ip[3]]) ? 1u : 0u; ip += 4; continue;
                case Op.F32Lt: r[ip[1]] = AsF32(r[ip[2]]) < AsF32(r[ip[3]]) ? 1u : 0u; ip += 4; continue;
                case Op.F32Gt: r[ip[1]] = AsF32(r[ip[2]]) > AsF32(r[ip[3]]) ? 1u : 0u; ip += 4; continue;
                case Op.F32Le: r[ip[1]] = AsF32(r[ip[2]]) <= AsF32(r[ip[3]]) ? 1u : 0u; ip += 4; continue;
                case Op.F32Ge: r[ip[1]] = AsF32(r[ip[2]]) >= AsF32(r[ip[3]]) ? 1u : 0u; ip += 4; continue;
                case Op.F64Eq: r[ip[1]] = AsF64(r[ip[2]]) == AsF64(r[ip[3]]) ? 1u : 0u; ip += 4; continue;
                case Op.F64Ne: r[ip[1]] = AsF64(r[ip[2]]) != AsF64(r[ip[3]]) ? 1u : 0u; ip += 4; continue;
                case Op.F64Lt: r[ip[1]] = AsF64(r[ip[2]]) < AsF64(r[ip[3]]) ? 1u : 0u; ip += 4; continue;
                case Op.F64Gt: r[ip[1]] = AsF64(r[ip[2]]) > AsF64(r[ip[3]]) ? 1u : 0u; ip += 4; continue;
                case Op.F64Le: r[ip[1]] = AsF64(r[ip[2]]) <= AsF64(r[ip[3]]) ? 1u : 0u; ip += 4; continue;
                case Op.F64Ge: r[ip[1]] = AsF64(r[ip[2]]) >= AsF64(r[ip[3]]) ? 1u : 0u; ip += 4; continue;
                case Op.I32Add: r[ip[1]] = (uint)r[ip[2]] + (uint)r[ip[3]]; ip += 4; continue;
                case Op.I32Sub: r[ip[1]] = (uint)r[ip[2]] - (uint)r[ip[3]]; ip += 4; continue;
                case Op.I32Mul: r[ip[1]] = (uint)r[ip[2]] * (uint)r[ip[3]]; ip += 4; continue;
                case Op.I32And: r[ip[1]] = (uint)r[ip[2]] & (uint)r[ip[3]]; ip += 4; continue;
                case Op.I32Or: r[ip[1]] = (uint)r[ip[2]] | (uint)r[ip[3]]; ip += 4; continue;
                case Op.I32Xor: r[ip[1]] = (uint)r[ip[2]] ^ (uint)r[ip[3]]; ip += 4; continue;
                case Op.I32Shl: r[ip[1]] = (uint)r[ip[2]] << (int)(uint)r[ip[3]]; ip += 4; continue;
                case Op.I32ShrS: r[ip[1]] = (uint)((int)r[ip[2]] >> (int)(uint)r[ip[3]]); ip += 4; continue;
                case Op.I32ShrU: r[ip[1]] = (uint)r[ip[2]] >> (int)(uint)r[ip[3]]; ip += 4; continue;
                case Op.I32Rotl: r[ip[1]] = BitOperations.RotateLeft((uint)r[ip[2]], (int)(uint)r[ip[3]]); ip += 4; continue;
                case Op.I32Rotr: r[ip[1]] = BitOperations.RotateRight((uint)r[ip[2]], (int)(uint)r[ip[3]]); ip += 4; continue;
                case Op.I64Add: r[ip[1]] = r[ip[2]] + r[ip[3]]; ip += 4; continue;
                case Op.I64Sub: r[ip[1]] = r[ip[2]] - r[ip[3]]; ip += 4; continue;
                case Op.I64Mul: r[ip[1]] = r[ip[2]] * r[ip[3]]; ip += 4; continue;
                case Op.I64And: r[ip[1]] = r[ip[2]] & r[ip[3]]; ip += 4; continue;
                case Op.I64Or: r[ip[1]] = r[ip[2]] | r[ip[3]]; ip += 4; continue;
                case Op.I64Xor: r[ip[1]] = r[ip[2]] ^ r[ip[3]]; ip += 4; continue;
                case Op.I64Shl: r[ip[1]] = r[ip[2]] << (int)r[ip[3]]; ip += 4; continue;
                case Op.I64ShrS: r[ip[1]] = (ulong)((long)r[ip[2]] >> (int)r[ip[3]]); ip += 4; continue;
                case Op.I64ShrU: r[ip[1]] = r[ip[2]] >> (int)r[ip[3]]; ip += 4; continue;
                case Op.I64Rotl: r[ip[1]] = BitOperations.RotateLeft(r[ip[2]], (int)r[ip[3]]); ip += 4; continue;
                case Op.I64Rotr: r[ip[1]] = BitOperations.RotateRight(r[ip[2]], (int)r[ip[3]]); ip += 4; continue;
                case Op.F32Add: r[ip[1]] = F32(AsF32(r[ip[2]]) + AsF32(r[ip[3]]), _canonicalize); ip += 4; continue;
                case Op.F32Sub: r[ip[1]] = F32(AsF32(r[ip[2]]) - AsF32(r[ip[3]]), _canonicalize); ip += 4; continue;
                case Op.F32Mul: r[ip[1]] = F32(AsF32(r[ip[2]]) * AsF32(r[ip[3]]), _canonicalize); ip += 4; continue;
                case Op.F32Div: r[ip[1]] = F32(AsF32(r[ip[2]]) / AsF32(r[ip[3]]), _canonicalize); ip += 4; continue;
                case Op.F32Min: r[ip[1]] = F32(NumericOps.Min(AsF32(r[ip[2]]), AsF32(r[ip[3]])), _canonicalize); ip += 4; continue;
                case Op.F32Max: r[ip[1]] = F32(NumericOps.Max(AsF32(r[ip[2]]), AsF32(r[ip[3]])), _canonicalize); ip += 4; continue;
                case Op.F32Copysign: r[ip[1]] = (((uint)r[ip[2]]) & 0x7FFFFFFFu) | (((uint)r[ip[3]]) & 0x80000000u); ip += 4; continue;
                case Op.F64Add: r[ip[1]] = F64(AsF64(r[ip[2]]) + AsF64(r[ip[3]]), _canonicalize); ip += 4; continue;
                case Op.F64Sub: r[ip[1]] = F64(AsF64(r[ip[2]]) - AsF64(r[ip[3]]), _canonicalize); ip += 4; continue;
                case Op.F64Mul: r[ip[1]] = F64(AsF64(r[ip[2]]) * AsF64(r[ip[3]]), _canonicalize); ip += 4; continue;
                case Op.F64Div: r[ip[1]] = F64(AsF64(r[ip[2]]) / AsF64(r[ip[3]]), _canonicalize); ip += 4; continue;
                case Op.F64Min: r[ip[1]] = F64(NumericOps.Min(AsF64(r[ip[2]]), AsF64(r[ip[3]])), _canonicalize); ip += 4; continue;
                case Op.F64Max: r[ip[1]] = F64(NumericOps.Max(AsF64(r[ip[2]]), AsF64(r[ip[3]])), _canonicalize); ip += 4; continue;
                case Op.F64Copysign: r[ip[1]] = (r[ip[2]] & 0x7FFFFFFFFFFFFFFFul) | (r[ip[3]] & 0x8000000000000000ul); ip += 4; continue;
                case Op.I32Eqz: r[ip[1]] = (uint)r[ip[2]] == 0 ? 1u : 0u; ip += 3; continue;
                case Op.I64Eqz: r[ip[1]] = r[ip[2]] == 0 ? 1u : 0u; ip += 3; continue;
                case Op.I32Clz: r[ip[1]] = (uint)BitOperations.LeadingZeroCount((uint)r[ip[2]]); ip += 3; continue;
                case Op.I32Ctz: r[ip[1]] = (uint)BitOperations.TrailingZeroCount((uint)r[ip[2]]); ip += 3; continue;
                case Op.I32Popcnt: r[ip[1]] = (uint)BitOperations.PopCount((uint)r[ip[2]]); ip += 3; continue;
                case Op.I64Clz: r[ip[1]] = (ulong)BitOperations.LeadingZeroCount(r[ip[2]]); ip += 3; continue;
                case Op.I64Ctz: r[ip[1]] = (ulong)BitOperations.TrailingZeroCount(r[ip[2]]); ip += 3; continue;
                case Op.I64Popcnt: r[ip[1]] = (ulong)BitOperations.PopCount(r[ip[2]]); ip += 3; continue;
                case Op.F32Abs: r[ip[1]] = (uint)r[ip[2]] & 0x7FFFFFFFu; ip += 3; continue;
                case Op.F32Neg: r[ip[1]] = (uint)r[ip[2]] ^ 0x80000000u; ip += 3; continue;
                case Op.F32Ceil: r[ip[1]] = F32(MathF.Ceiling(AsF32(r[ip[2]])), _canonicalize); ip += 3; continue;
                case Op.F32Floor: r[ip[1]] = F32(MathF.Floor(AsF32(r[ip[2]])), _canonicalize); ip += 3; continue;
                case Op.F32Trunc: r[ip[1]] = F32(MathF.Truncate(AsF32(r[ip[2]])), _canonicalize); ip += 3; continue;
                case Op.F32Nearest: r[ip[1]] = F32(MathF.Round(AsF32(r[ip[2]]), MidpointRounding.ToEven), _canonicalize); ip += 3; continue;
                case Op.F32Sqrt: r[ip[1]] = F32(MathF.Sqrt(AsF32(r[ip[2]])), _canonicalize); ip += 3; continue;
                case Op.F64Abs: r[ip[1]] = r[ip[2]] & 0x7FFFFFFFFFFFFFFFul; ip += 3; continue;
                case Op.F64Neg: r[ip[1]] = r[ip[2]] ^ 0x8000000000000000ul; ip += 3; continue;
                case Op.F64Ceil: r[ip[1]] = F64(Math.Ceiling(AsF64(r[ip[2]])), _canonicalize); ip += 3; continue;
                case Op.F64Floor: r[ip[1]] = F64(Math.Floor(AsF64(r[ip[2]])), _canonicalize); ip += 3; continue;
                case Op.F64Trunc: r[ip[1]] = F64(Math.Truncate(AsF64(r[ip[2]])), _canonicalize); ip += 3; continue;
                case Op.F64Nearest: r[ip[1]] = F64(Math.Round(AsF64(r[ip[2]]), MidpointRounding.ToEven), _canonicalize); ip += 3; continue;
                case Op.F64Sqrt: r[ip[1]] = F64(Math.Sqrt(AsF64(r[ip[2]])), _canonicalize); ip += 3; continue;
                case Op.I32WrapI64: r[ip[1]] = (uint)r[ip[2]]; ip += 3; continue;
                case Op.I64ExtendI32S: r[ip[1]] = (ulong)(long)(int)r[ip[2]]; ip += 3; continue;
                case Op.I64ExtendI32U: r[ip[1]] = (ulong)(uint)r[ip[2]]; ip += 3; continue;
                case Op.F32ConvertI32S: r[ip[1]] = F32((float)(int)r[ip[2]], _canonicalize); ip += 3; continue;
                case Op.F32ConvertI32U: r[ip[1]] = F32((float)(uint)r[ip[2]], _canonicalize); ip += 3; continue;
                case Op.F32ConvertI64S: r[ip[1]] = F32(NumericOps.I64ToF32((long)r[ip[2]]), _canonicalize); ip += 3; continue;
                case Op.F32ConvertI64U: r[ip[1]] = F32(NumericOps.U64ToF32(r[ip[2]]), _canonicalize); ip += 3; continue;
                case Op.F32DemoteF64: r[ip[1]] = F32((float)AsF64(r[ip[2]]), _canonicalize); ip += 3; continue;
                case Op.F64ConvertI32S: r[ip[1]] = F64((double)(int)r[ip[2]], _canonicalize); ip += 3; continue;
                case Op.F64ConvertI32U: r[ip[1]] = F64((double)(uint)r[ip[2]], _canonicalize); ip += 3; continue;
                case Op.F64ConvertI64S: r[ip[1]] = F64((double)(long)r[ip[2]], _canonicalize); ip += 3; continue;
                case Op.F64ConvertI64U: r[ip[1]] = F64(NumericOps.U64ToF64(r[ip[2]]), _canonicalize); ip += 3; continue;
                case Op.F64PromoteF32: r[ip[1]] = F64((double)AsF32(r[ip[2]]), _canonicalize); ip += 3; continue;
                case Op.I32ReinterpretF32: r[ip[1]] = (uint)r[ip[2]]; ip += 3; continue;
                case Op.I64ReinterpretF64: r[ip[1]] = r[ip[2]]; ip += 3; continue;
                case Op.F32ReinterpretI32: r[ip[1]] = (uint)r[ip[2]]; ip += 3; continue;
                case Op.F64ReinterpretI64: r[ip[1]] = r[ip[2]]; ip += 3; continue;
                case Op.I32Extend8S: r[ip[1]] = (uint)(int)(sbyte)(uint)r[ip[2]]; ip += 3; continue;
                case Op.I32Extend16S: r[ip[1]] = (uint)(int)(short)(uint)r[ip[2]]; ip += 3; continue;
                case Op.I64Extend8S: r[ip[1]] = (ulong)(long)(sbyte)r[ip[2]]; ip += 3; continue;
                case Op.I64Extend16S: r[ip[1]] = (ulong)(long)(short)r[ip[2]]; ip += 3; continue;
                case Op.I64Extend32S: r[ip[1]] = (ulong)(long)(int)r[ip[2]]; ip += 3; continue;
                case Op.I32TruncSatF32S: r[ip[1]] = (uint)NumericOps.SatI32S(AsF32(r[ip[2]])); ip += 3; continue;
                case Op.I32TruncSatF32U: r[ip[1]] = NumericOps.SatI32U(AsF32(r[ip[2]])); ip += 3; continue;
                case Op.I32TruncSatF64S: r[ip[1]] = (uint)NumericOps.SatI32S(AsF64(r[ip[2]])); ip += 3; continue;
                case Op.I32TruncSatF64U: r[ip[1]] = NumericOps.SatI32U(AsF64(r[ip[2]])); ip += 3; continue;
                case Op.I64TruncSatF32S: r[ip[1]] = (ulong)NumericOps.SatI64S(AsF32(r[ip[2]])); ip += 3; continue;
                case Op.I64TruncSatF32U: r[ip[1]] = NumericOps.SatI64U(AsF32(r[ip[2]])); ip += 3; continue;
                case Op.I64TruncSatF64S: r[ip[1]] = (ulong)NumericOps.SatI64S(AsF64(r[ip[2]])); ip += 3; continue;
                case Op.I64TruncSatF64U: r[ip[1]] = NumericOps.SatI64U(AsF64(r[ip[2]])); ip += 3; continue;
                case Op.I32DivS: { var x = (int)r[ip[2]]; var y = (int)r[ip[3]]; if (y == 0) goto divZero; if (y == -1 && x == int.MinValue) goto overflow; r[ip[1]] = (uint)(x / y); ip += 4; continue; }
                case Op.I32DivU: { var y = (uint)r[ip[3]]; if (y == 0) goto divZero; r[ip[1]] = (uint)r[ip[2]] / y; ip += 4; continue; }
                case Op.I32RemS: { var x = (int)r[ip[2]]; var y = (int)r[ip[3]]; if (y == 0) goto divZero; r[ip[1]] = y == -1 ? 0u : (uint)(x % y); ip += 4; continue; }
                case Op.I32RemU: { var y = (uint)r[ip[3]]; if (y == 0) goto divZero; r[ip[1]] = (uint)r[ip[2]] % y; ip += 4; continue; }
                case Op.I64DivS: { var x = (long)r[ip[2]]; var y = (long)r[ip[3]]; if (y == 0) goto divZero; if (y == -1 && x == long.MinValue) goto overflow; r[ip[1]] = (ulong)(x / y); ip += 4; continue; }
                case Op.I64DivU: { var y = r[ip[3]]; if (y == 0) goto divZero; r[ip[1]] = r[ip[2]] / y; ip += 4; continue; }
                case Op.I64RemS: { var x = (long)r[ip[2]]; var y = (long)r[ip[3]]; if (y == 0) goto divZero; r[ip[1]] = y == -1 ? 0ul : (ulong)(x % y); ip += 4; continue; }
                case Op.I64RemU: { var y = r[ip[3]]; if (y == 0) goto divZero; r[ip[1]] = r[ip[2]] % y; ip += 4; continue; }
                case Op.I32TruncF32S: { var e = NumericOps.TruncI32S(AsF32(r[ip[2]]), out var t); if (e != 0) { trapKind = e == 1 ? TrapKind.InvalidConversionToInteger : TrapKind.IntegerOverflow; goto trap; } r[ip[1]] = (uint)t; ip += 3; continue; }
                case Op.I32TruncF32U: { var e = NumericOps.TruncI32U(AsF32(r[ip[2]]), out var t); if (e != 0) { trapKind = e == 1 ? TrapKind.InvalidConversionToInteger : TrapKind.IntegerOverflow; goto trap; } r[ip[1]] = t; ip += 3; continue; }
                case Op.I32TruncF64S: { var e = NumericOps.TruncI32S(AsF64(r[ip[2]]), out var t); if (e != 0) { trapKind = e == 1 ? TrapKind.InvalidConversionToInteger : TrapKind.IntegerOverflow; goto trap; } r[ip[1]] = (uint)t; ip += 3; continue; }
                case Op.I32TruncF64U: { var e = NumericOps.TruncI32U(AsF64(r[ip[2]]), out var t); if (e != 0) { trapKind = e == 1 ? TrapKind.InvalidConversionToInteger : TrapKind.IntegerOverflow; goto trap; } r[ip[1]] = t; ip += 3; continue; }
                case Op.I64TruncF32S: { var e = NumericOps.TruncI64S(AsF32(r[ip[2]]), out var t); if (e != 0) { trapKind = e == 1 ? TrapKind.InvalidConversionToInteger : TrapKind.IntegerOverflow; goto trap; } r[ip[1]] = (ulong)t; ip += 3; continue; }
                case Op.I64TruncF32U: { var e = NumericOps.TruncI64U(AsF32(r[ip[2]]), out var t); if (e != 0) { trapKind = e == 1 ? TrapKind.InvalidConversionToInteger : TrapKind.IntegerOverflow; goto trap; } r[ip[1]] = t; ip += 3; continue; }
                case Op.I64TruncF64S: { var e = NumericOps.TruncI64S(AsF64(r[ip[2]]), out var t); if (e != 0) { trapKind = e == 1 ? TrapKind.InvalidConversionToInteger : TrapKind.IntegerOverflow; goto trap; } r[ip[1]] = (ulong)t; ip += 3; continue; }
                case Op.I64TruncF64U: { var e = NumericOps.TruncI64U(AsF64(r[ip[2]]), out var t); if (e != 0) { trapKind = e == 1 ? TrapKind.InvalidConversionToInteger : TrapKind.IntegerOverflow; goto trap; } r[ip[1]] = t; ip += 3; continue; }
                case Op.I32Load: { var ea = (ulong)(uint)r[ip[2]] + (uint)ip[3]; if (ea + 4 > memLen) goto oob; var v = Unsafe.ReadUnaligned<uint>(mem + ea); r[ip[1]] = (ulong)v; ip += 4; continue; }
                case Op.I64Load: { var ea = (ulong)(uint)r[ip[2]] + (uint)ip[3]; if (ea + 8 > memLen) goto oob; var v = Unsafe.ReadUnaligned<ulong>(mem + ea); r[ip[1]] = v; ip += 4; continue; }
                case Op.F32Load: { var ea = (ulong)(uint)r[ip[2]] + (uint)ip[3]; if (ea + 4 > memLen) goto oob; var v = Unsafe.ReadUnaligned<uint>(mem + ea); r[ip[1]] = (ulong)v; ip += 4; continue; }
                case Op.F64Load: { var ea = (ulong)(uint)r[ip[2]] + (uint)ip[3]; if (ea + 8 > memLen) goto oob; var v = Unsafe.ReadUnaligned<ulong>(mem + ea); r[ip[1]] = v; ip += 4; continue; }
                case Op.I32Load8S: { var ea = (ulong)(uint)r[ip[2]] + (uint)ip[3]; if (ea + 1 > memLen) goto oob; var v = Unsafe.ReadUnaligned<sbyte>(mem + ea); r[ip[1]] = (uint)(int)v; ip += 4; continue; }
                case Op.I32Load8U: { var ea = (ulong)(uint)r[ip[2]] + (uint)ip[3]; if (ea + 1 > memLen) goto oob; var v = Unsafe.ReadUnaligned<byte>(mem + ea); r[ip[1]] = (ulong)v; ip += 4; continue; }
                case Op.I32Load16S: { var ea = (ulong)(uint)r[ip[2]] + (uint)ip[3]; if (ea + 2 > memLen) goto oob; var v = Unsafe.ReadUnaligned<short>(mem + ea); r[ip[1]] = (uint)(int)v; ip += 4; continue; }
                case Op.I32Load16U: { var ea = (ulong)(uint)r[ip[2]] + (uint)ip[3]; if (ea + 2 > memLen) goto oob; var v = Unsafe.ReadUnaligned<ushort>(mem + ea); r[ip[1]] = (ulong)v; ip += 4; continue; }
                case Op.I64Load8S: { var ea = (ulong)(uint)r[ip[2]] + (uint)ip[3]; if (ea + 1 > memLen) goto oob; var v = Unsafe.ReadUnaligned<sbyte>(mem + ea); r[ip[1]] = (ulong)(long)v; ip += 4; continue; }
                case Op.I64Load8U: { var ea = (ulong)(uint)r[ip[2]] + (uint)ip[3]; if (ea + 1 > memLen) goto oob; var v = Unsafe.ReadUnaligned<byte>(mem + ea); r[ip[1]] = (ulong)v; ip += 4; continue; }
                case Op.I64Load16S: { var ea = (ulong)(uint)r[ip[2]] + (uint)ip[3]; if (ea + 2 > memLen) goto oob; var v = Unsafe.ReadUnaligned<short>(mem + ea); r[ip[1]] = (ulong)(long)v; ip += 4; continue; }
                case Op.I64Load16U: { var ea = (ulong)(uint)r[ip[2]] + (uint)ip[3]; if (ea + 2 > memLen) goto oob; var v = Unsafe.ReadUnaligned<ushort>(mem + ea); r[ip[1]] = (ulong)v; ip += 4; continue; }
                case Op.I64Load32S: { var ea = (ulong)(uint)r[ip[2]] + (uint)ip[3]; if (ea + 4 > memLen) goto oob; var v = Unsafe.ReadUnaligned<int>(mem + ea); r[ip[1]] = (ulong)(long)v; ip += 4; continue; }
                case Op.I64Load32U: { var ea = (ulong)(uint)r[ip[2]] + (uint)ip[3]; if (ea + 4 > memLen) goto oob; var v = Unsafe.ReadUnaligned<uint>(mem + ea); r[ip[1]] = (ulong)v; ip += 4; continue; }
                case Op.I32Store: { var ea = (ulong)(uint)r[ip[1]] + (uint)ip[3]; if (ea + 4 > memLen) goto oob; Unsafe.WriteUnaligned(mem + ea, (uint)r[ip[2]]); ip += 4; continue; }
                case Op.I64Store: { var ea = (ulong)(uint)r[ip[1]] + (uint)ip[3]; if (ea + 8 > memLen) goto oob; Unsafe.WriteUnaligned(mem + ea, (ulong)r[ip[2]]); ip += 4; continue; }
                case Op.F32Store: { var ea = (ulong)(uint)r[ip[1]] + (uint)ip[3]; if (ea + 4 > memLen) goto oob; Unsafe.WriteUnaligned(mem + ea, (uint)r[ip[2]]); ip += 4; continue; }
                case Op.F64Store: { var ea = (ulong)(uint)r[ip[1]] + (uint)ip[3]; if (ea + 8 > memLen) goto oob; Unsafe.WriteUnaligned(mem + ea, (ulong)r[ip[2]]); ip += 4; continue; }
                case Op.I32Store8: { var ea = (ulong)(uint)r[ip[1]] + (uint)ip[3]; if (ea + 1 > memLen) goto oob; Unsafe.WriteUnaligned(mem + ea, (byte)r[ip[2]]); ip += 4; continue; }
                case Op.I32Store16: { var ea = (ulong)(uint)r[ip[1]] + (uint)ip[3]; if (ea + 2 > memLen) goto oob; Unsafe.WriteUnaligned(mem + ea, (ushort)r[ip[2]]); ip += 4; continue; }
                case Op.I64Store8: { var ea = (ulong)(uint)r[ip[1]] + (uint)ip[3]; if (ea + 1 > memLen) goto oob; Unsafe.WriteUnaligned(mem + ea, (byte)r[ip[2]]); ip += 4; continue; }
                case Op.I64Store16: { var ea = (ulong)(uint)r[ip[1]] + (uint)ip[3]; if (ea + 2 > memLen) goto oob; Unsafe.WriteUnaligned(mem + ea, (ushort)r[ip[2]]); ip += 4; continue; }
                case Op.I64Store32: { var ea = (ulong)(uint)r[ip[1]] + (uint)ip[3]; if (ea + 4 > memLen) goto oob; Unsafe.WriteUnaligned(mem + ea, (uint)r[ip[2]]); ip += 4; continue; }
                case Op.I32AddImm: r[ip[1]] = (uint)r[ip[2]] + (uint)ip[3]; ip += 4; continue;
                case Op.I32SubImm: r[ip[1]] = (uint)r[ip[2]] - (uint)ip[3]; ip += 4; continue;
                case Op.I32MulImm: r[ip[1]] = (uint)r[ip[2]] * (uint)ip[3]; ip += 4; continue;
                case Op.I32AndImm: r[ip[1]] = (uint)r[ip[2]] & (uint)ip[3]; ip += 4; continue;
                case Op.I32OrImm: r[ip[1]] = (uint)r[ip[2]] | (uint)ip[3]; ip += 4; continue;
                case Op.I32XorImm: r[ip[1]] = (uint)r[ip[2]] ^ (uint)ip[3]; ip += 4; continue;
                case Op.I32ShlImm: r[ip[1]] = (uint)r[ip[2]] << (int)(uint)ip[3]; ip += 4; continue;
                case Op.I32ShrSImm: r[ip[1]] = (uint)((int)r[ip[2]] >> (int)(uint)ip[3]); ip += 4; continue;
                case Op.I32ShrUImm: r[ip[1]] = (uint)r[ip[2]] >> (int)(uint)ip[3]; ip += 4; continue;
                case Op.I32EqImm: r[ip[1]] = (uint)r[ip[2]] == (uint)ip[3] ? 1u : 0u; ip += 4; continue;
                case Op.I32NeImm: r[ip[1]] = (uint)r[ip[2]] != (uint)ip[3] ? 1u : 0u; ip += 4; continue;
                case Op.I32LtSImm: r[ip[1]] = (int)r[ip[2]] < ip[3] ? 1u : 0u; ip += 4; continue;
                case Op.I32LtUImm: r[ip[1]] = (uint)r[ip[2]] < (uint)ip[3] ? 1u : 0u; ip += 4; continue;
                case Op.I32GtSImm: r[ip[1]] = (int)r[ip[2]] > ip[3] ? 1u : 0u; ip += 4; continue;
                case Op.I32GtUImm: r[ip[1]] = (uint)r[ip[2]] > (uint)ip[3] ? 1u : 0u; ip += 4; continue;
                case Op.I32LeSImm: r[ip[1]] = (int)r[ip[2]] <= ip[3] ? 1u : 0u; ip += 4; continue;
                case Op.I32LeUImm: r[ip[1]] = (uint)r[ip[2]] <= (uint)ip[3] ? 1u : 0u; ip += 4; continue;
                case Op.I32GeSImm: r[ip[1]] = (int)r[ip[2]] >= ip[3] ? 1u : 0u; ip += 4; continue;
                case Op.I32GeUImm: r[ip[1]] = (uint)r[ip[2]] >= (uint)ip[3] ? 1u : 0u; ip += 4; continue;
                case Op.I64AddImm: r[ip[1]] = r[ip[2]] + Unsafe.ReadUnaligned<ulong>(ip + 3); ip += 5; continue;
                case Op.I64SubImm: r[ip[1]] = r[ip[2]] - Unsafe.ReadUnaligned<ulong>(ip + 3); ip += 5; continue;
                case Op.I64MulImm: r[ip[1]] = r[ip[2]] * Unsafe.ReadUnaligned<ulong>(ip + 3); ip += 5; continue;
                case Op.I64AndImm: r[ip[1]] = r[ip[2]] & Unsafe.ReadUnaligned<ulong>(ip + 3); ip += 5; continue;
                case Op.I64OrImm: r[ip[1]] = r[ip[2]] | Unsafe.ReadUnaligned<ulong>(ip + 3); ip += 5; continue;
                case Op.I64XorImm: r[ip[1]] = r[ip[2]] ^ Unsafe.ReadUnaligned<ulong>(ip + 3); ip += 5; continue;
                case Op.I64ShlImm: r[ip[1]] = r[ip[2]] << (int)Unsafe.ReadUnaligned<ulong>(ip + 3); ip += 5; continue;
                case Op.I64ShrSImm: r[ip[1]] = (ulong)((long)r[ip[2]] >> (int)Unsafe.ReadUnaligned<ulong>(ip + 3)); ip += 5; continue;
                case Op.I64ShrUImm: r[ip[1]] = r[ip[2]] >> (int)Unsafe.ReadUnaligned<ulong>(ip + 3); ip += 5; continue;
                case Op.I64EqImm: r[ip[1]] = r[ip[2]] == Unsafe.ReadUnaligned<ulong>(ip + 3) ? 1u : 0u; ip += 5; continue;
                case Op.I64NeImm: r[ip[1]] = r[ip[2]] != Unsafe.ReadUnaligned<ulong>(ip + 3) ? 1u : 0u; ip += 5; continue;
                case Op.I64LtSImm: r[ip[1]] = (long)r[ip[2]] < Unsafe.ReadUnaligned<long>(ip + 3) ? 1u : 0u; ip += 5; continue;
                case Op.I64LtUImm: r[ip[1]] = r[ip[2]] < Unsafe.ReadUnaligned<ulong>(ip + 3) ? 1u : 0u; ip += 5; continue;
                case Op.I64GtSImm: r[ip[1]] = (long)r[ip[2]] > Unsafe.ReadUnaligned<long>(ip + 3) ? 1u : 0u; ip += 5; continue;
                case Op.I64GtUImm: r[ip[1]] = r[ip[2]] > Unsafe.ReadUnaligned<ulong>(ip + 3) ? 1u : 0u; ip += 5; continue;
                case Op.I64LeSImm: r[ip[1]] = (long)r[ip[2]] <= Unsafe.ReadUnaligned<long>(ip + 3) ? 1u : 0u; ip += 5; continue;
                case Op.I64LeUImm: r[ip[1]] = r[ip[2]] <= Unsafe.ReadUnaligned<ulong>(ip + 3) ? 1u : 0u; ip += 5; continue;
                case Op.I64GeSImm: r[ip[1]] = (long)r[ip[2]] >= Unsafe.ReadUnaligned<long>(ip + 3) ? 1u : 0u; ip += 5; continue;
                case Op.I64GeUImm: r[ip[1]] = r[ip[2]] >= Unsafe.ReadUnaligned<ulong>(ip + 3) ? 1u : 0u; ip += 5; continue;
                case Op.BrIfI32Eq: ip = (uint)r[ip[1]] == (uint)r[ip[2]] ? c + ip[3] : ip + 4; goto chargeRun;
                case Op.BrIfI32EqImm: ip = (uint)r[ip[1]] == (uint)ip[2] ? c + ip[3] : ip + 4; goto chargeRun;
                case Op.BrIfI32Ne: ip = (uint)r[ip[1]] != (uint)r[ip[2]] ? c + ip[3] : ip + 4; goto chargeRun;
                case Op.BrIfI32NeImm: ip = (uint)r[ip[1]] != (uint)ip[2] ? c + ip[3] : ip + 4; goto chargeRun;
                case Op.BrIfI32LtS: ip = (int)r[ip[1]] < (int)r[ip[2]] ? c + ip[3] : ip + 4; goto chargeRun;
                case Op.BrIfI32LtSImm: ip = (int)r[ip[1]] < ip[2] ? c + ip[3] : ip + 4; goto chargeRun;
                case Op.BrIfI32LtU: ip = (uint)r[ip[1]] < (uint)r[ip[2]] ? c + ip[3] : ip + 4; goto chargeRun;
                case Op.BrIfI32LtUImm: ip = (uint)r[ip[1]] < (uint)ip[2] ? c + ip[3] : ip + 4; goto chargeRun;
                case Op.BrIfI32GtS: ip = (int)r[ip[1]] > (int)r[ip[2]] ? c + ip[3] : ip + 4; goto chargeRun;
                case Op.BrIfI32GtSImm: ip = (int)r[ip[1]] > ip[2] ? c + ip[3] : ip + 4; goto chargeRun;
                case Op.BrIfI32GtU: ip = (uint)r[ip[1]] > (uint)r[ip[2]] ? c + ip[3] : ip + 4; goto chargeRun;
                case Op.BrIfI32GtUImm: ip = (uint)r[ip[1]] > (uint)ip[2] ? c + ip[3] : ip + 4; goto chargeRun;
                case Op.BrIfI32LeS: ip = (int)r[ip[1]] <= (int)r[ip[2]] ? c + ip[3] : ip + 4; goto chargeRun;
                case Op.BrIfI32LeSImm: ip = (int)r[ip[1]] <= ip[2] ? c + ip[3] : ip + 4; goto chargeRun;
                case Op.BrIfI32LeU: ip = (uint)r[ip[1]] <= (uint)r[ip[2]] ? c + ip[3] : ip + 4; goto chargeRun;
                case Op.BrIfI32LeUImm: ip = (uint)r[ip[1]] <= (uint)ip[2] ? c + ip[3] : ip + 4; goto chargeRun;
                case Op.BrIfI32GeS: ip = (int)r[ip[1]] >= (int)r[ip[2]] ? c + ip[3] : ip + 4; goto chargeRun;
                case Op.BrIfI32GeSImm: ip = (int)r[ip[1]] >= ip[2] ? c + ip[3] : ip + 4; goto chargeRun;
                case Op.BrIfI32GeU: ip = (uint)r[ip[1]] >= (uint)r[ip[2]] ? c + ip[3] : ip + 4; goto chargeRun;
                case Op.BrIfI32GeUImm: ip = (uint)r[ip[1]] >= (uint)ip[2] ? c + ip[3] : ip + 4; goto chargeRun;
                case Op.BrIfI64Eq: ip = r[ip[1]] == r[ip[2]] ? c + ip[3] : ip + 4; goto chargeRun;
                case Op.BrIfI64EqImm: ip = r[ip[1]] == Unsafe.ReadUnaligned<ulong>(ip + 2) ? c + ip[4] : ip + 5; goto chargeRun;
                case Op.BrIfI64Ne: ip = r[ip[1]] != r[ip[2]] ? c + ip[3] : ip + 4; goto chargeRun;
                case Op.BrIfI64NeImm: ip = r[ip[1]] != Unsafe.ReadUnaligned<ulong>(ip + 2) ? c + ip[4] : ip + 5; goto chargeRun;
                case Op.BrIfI64LtS: ip = (long)r[ip[1]] < (long)r[ip[2]] ? c + ip[3] : ip + 4; goto chargeRun;
                case Op.BrIfI64LtSImm: ip = (long)r[ip[1]] < Unsafe.ReadUnaligned<long>(ip + 2) ? c + ip[4] : ip + 5; goto chargeRun;
                case Op.BrIfI64LtU: ip = r[ip[1]] < r[ip[2]] ? c + ip[3] : ip + 4; goto chargeRun;
                case Op.BrIfI64LtUImm: ip = r[ip[1]] < Unsafe.ReadUnaligned<ulong>(ip + 2) ? c + ip[4] : ip + 5; goto chargeRun;
                case Op.BrIfI64GtS: ip = (long)r[ip[1]] > (long)r[ip[2]] ? c + ip[3] : ip + 4; goto chargeRun;
                case Op.BrIfI64GtSImm: ip = (long)r[ip[1]] > Unsafe.ReadUnaligned<long>(ip + 2) ? c + ip[4] : ip + 5; goto chargeRun;
                case Op.BrIfI64GtU: ip = r[ip[1]] > r[ip[2]] ? c + ip[3] : ip + 4; goto chargeRun;
                case Op.BrIfI64GtUImm: ip = r[ip[1]] > Unsafe.ReadUnaligned<ulong>(ip + 2) ? c + ip[4] : ip + 5; goto chargeRun;
                case Op.BrIfI64LeS: ip = (long)r[ip[1]] <= (long)r[ip[2]] ? c + ip[3] : ip + 4; goto chargeRun;
                case Op.BrIfI64LeSImm: ip = (long)r[ip[1]] <= Unsafe.ReadUnaligned<long>(ip + 2) ? c + ip[4] : ip + 5; goto chargeRun;
                case Op.BrIfI64LeU: ip = r[ip[1]] <= r[ip[2]] ? c + ip[3] : ip + 4; goto chargeRun;
                case Op.BrIfI64LeUImm: ip = r[ip[1]] <= Unsafe.ReadUnaligned<ulong>(ip + 2) ? c + ip[4] : ip + 5; goto chargeRun;
                case Op.BrIfI64GeS: ip = (long)r[ip[1]] >= (long)r[ip[2]] ? c + ip[3] : ip + 4; goto chargeRun;
                case Op.BrIfI64GeSImm: ip = (long)r[ip[1]] >= Unsafe.ReadUnaligned<long>(ip + 2) ? c + ip[4] : ip + 5; goto chargeRun;
                case Op.BrIfI64GeU: ip = r[ip[1]] >= r[ip[2]] ? c + ip[3] : ip + 4; goto chargeRun;
                case Op.BrIfI64GeUImm: ip = r[ip[1]] >= Unsafe.ReadUnaligned<ulong>(ip + 2) ? c + ip[4] : ip + 5; goto chargeRun;
                case Op.BrIfI32Eqz: ip = (uint)r[ip[1]] == 0 ? c + ip[2] : ip + 3; goto chargeRun;
                case Op.BrIfI32Nez: ip = (uint)r[ip[1]] != 0 ? c + ip[2] : ip + 3; goto chargeRun;
                case Op.BrIfI64Eqz: ip = r[ip[1]] == 0 ? c + ip[2] : ip + 3; goto chargeRun;
                case Op.BrIfI64Nez: ip = r[ip[1]] != 0 ? c + ip[2] : ip + 3; goto chargeRun;
                case Op.I32LoadAdd: { var ea = (ulong)((uint)r[ip[2]] + (uint)ip[4]) + (uint)ip[3]; if (ea + 4 > memLen) goto oob; var v = Unsafe.ReadUnaligned<uint>(mem + ea); r[ip[1]] = (ulong)v; ip += 5; continue; }
                case Op.I64LoadAdd: { var ea = (ulong)((uint)r[ip[2]] + (uint)ip[4]) + (uint)ip[3]; if (ea + 8 > memLen) goto oob; var v = Unsafe.ReadUnaligned<ulong>(mem + ea); r[ip[1]] = v; ip += 5; continue; }
                case Op.F64LoadAdd: { var ea = (ulong)((uint)r[ip[2]] + (uint)ip[4]) + (uint)ip[3]; if (ea + 8 > memLen) goto oob; var v = Unsafe.ReadUnaligned<ulong>(mem + ea); r[ip[1]] = v; ip += 5; continue; }
                case Op.I32Load8SAdd: { var ea = (ulong)((uint)r[ip[2]] + (uint)ip[4]) + (uint)ip[3]; if (ea + 1 > memLen) goto oob; var v = Unsafe.ReadUnaligned<sbyte>(mem + ea); r[ip[1]] = (uint)(int)v; ip += 5; continue; }
                case Op.I32Load8UAdd: { var ea = (ulong)((uint)r[ip[2]] + (uint)ip[4]) + (uint)ip[3]; if (ea + 1 > memLen) goto oob; var v = Unsafe.ReadUnaligned<byte>(mem + ea); r[ip[1]] = (ulong)v; ip += 5; continue; }
                case Op.I32Load16SAdd: { var ea = (ulong)((uint)r[ip[2]] + (uint)ip[4]) + (uint)ip[3]; if (ea + 2 > memLen) goto oob; var v = Unsafe.ReadUnaligned<short>(mem + ea); r[ip[1]] = (uint)(int)v; ip += 5; continue; }
                case Op.I32Load16UAdd: { var ea = (ulong)((uint)r[ip[2]] + (uint)ip[4]) + (uint)ip[3]; if (ea + 2 > memLen) goto oob; var v = Unsafe.ReadUnaligned<ushort>(mem + ea); r[ip[1]] = (ulong)v; ip += 5; continue; }
                case Op.I64Load32SAdd: { var ea = (ulong)((uint)r[ip[2]] + (uint)ip[4]) + (uint)ip[3]; if (ea + 4 > memLen) goto oob; var v = Unsafe.ReadUnaligned<int>(mem + ea); r[ip[1]] = (ulong)(long)v; ip += 5; continue; }
                case Op.I64Load32UAdd: { var ea = (ulong)((uint)r[ip[2]] + (uint)ip[4]) + (uint)ip[3]; if (ea + 4 > memLen) goto oob; var v = Unsafe.ReadUnaligned<uint>(mem + ea); r[ip[1]] = (ulong)v; ip += 5; continue; }
                case Op.I32LoadAddTee: { var a = (uint)r[ip[2]] + (uint)ip[4]; r[ip[5]] = a; var ea = (ulong)a + (uint)ip[3]; if (ea + 4 > memLen) goto oob; var v = Unsafe.ReadUnaligned<uint>(mem + ea); r[ip[1]] = (ulong)v; ip += 6; continue; }
                case Op.I64LoadAddTee: { var a = (uint)r[ip[2]] + (uint)ip[4]; r[ip[5]] = a; var ea = (ulong)a + (uint)ip[3]; if (ea + 8 > memLen) goto oob; var v = Unsafe.ReadUnaligned<ulong>(mem + ea); r[ip[1]] = v; ip += 6; continue; }
                case Op.F64LoadAddTee: { var a = (uint)r[ip[2]] + (uint)ip[4]; r[ip[5]] = a; var ea = (ulong)a + (uint)ip[3]; if (ea + 8 > memLen) goto oob; var v = Unsafe.ReadUnaligned<ulong>(mem + ea); r[ip[1]] = v; ip += 6; continue; }
                case Op.I32Load8SAddTee: { var a = (uint)r[ip[2]] + (uint)ip[4]; r[ip[5]] = a; var ea = (ulong)a + (uint)ip[3]; if (ea + 1 > memLen) goto oob; var v = Unsafe.ReadUnaligned<sbyte>(mem + ea); r[ip[1]] = (uint)(int)v; ip += 6; continue; }
                case Op.I32Load8UAddTee: { var a = (uint)r[ip[2]] + (uint)ip[4]; r[ip[5]] = a; var ea = (ulong)a + (uint)ip[3]; if (ea + 1 > memLen) goto oob; var v = Unsafe.ReadUnaligned<byte>(mem + ea); r[ip[1]] = (ulong)v; ip += 6; continue; }
                case Op.I32Load16SAddTee: { var a = (uint)r[ip[2]] + (uint)ip[4]; r[ip[5]] = a; var ea = (ulong)a + (uint)ip[3]; if (ea + 2 > memLen) goto oob; var v = Unsafe.ReadUnaligned<short>(mem + ea); r[ip[1]] = (uint)(int)v; ip += 6; continue; }
                case Op.I32Load16UAddTee: { var a = (uint)r[ip[2]] + (uint)ip[4]; r[ip[5]] = a; var ea = (ulong)a + (uint)ip[3]; if (ea + 2 > memLen) goto oob; var v = Unsafe.ReadUnaligned<ushort>(mem + ea); r[ip[1]] = (ulong)v; ip += 6; continue; }
                case Op.I64Load32SAddTee: { var a = (uint)r[ip[2]] + (uint)ip[4]; r[ip[5]] = a; var ea = (ulong)a + (uint)ip[3]; if (ea + 4 > memLen) goto oob; var v = Unsafe.ReadUnaligned<int>(mem + ea); r[ip[1]] = (ulong)(long)v; ip += 6; continue; }
                case Op.I64Load32UAddTee: { var a = (uint)r[ip[2]] + (uint)ip[4]; r[ip[5]] = a; var ea = (ulong)a + (uint)ip[3]; if (ea + 4 > memLen) goto oob; var v = Unsafe.ReadUnaligned<uint>(mem + ea); r[ip[1]] = (ulong)v; ip += 6; continue; }
                case Op.I32StoreAdd: { var ea = (ulong)((uint)r[ip[1]] + (uint)ip[4]) + (uint)ip[3]; if (ea + 4 > memLen) goto oob; Unsafe.WriteUnaligned(mem + ea, (uint)r[ip[2]]); ip += 5; continue; }
                case Op.I64StoreAdd: { var ea = (ulong)((uint)r[ip[1]] + (uint)ip[4]) + (uint)ip[3]; if (ea + 8 > memLen) goto oob; Unsafe.WriteUnaligned(mem + ea, r[ip[2]]); ip += 5; continue; }
                case Op.I32Store8Add: { var ea = (ulong)((uint)r[ip[1]] + (uint)ip[4]) + (uint)ip[3]; if (ea + 1 > memLen) goto oob; Unsafe.WriteUnaligned(mem + ea, (byte)r[ip[2]]); ip += 5; continue; }
                case Op.I32Store16Add: { var ea = (ulong)((uint)r[ip[1]] + (uint)ip[4]) + (uint)ip[3]; if (ea + 2 > memLen) goto oob; Unsafe.WriteUnaligned(mem + ea, (ushort)r[ip[2]]); ip += 5; continue; }
                case Op.I32AddShifted: r[ip[1]] = ((uint)r[ip[2]] << ip[3]) + (uint)r[ip[4]]; ip += 5; continue;
                case Op.I32AddImmBr:
                    r[ip[1]] = (uint)r[ip[2]] + (uint)ip[3];
                    ip = c + ip[4];
                    goto chargeRun;
                case Op.I32AddBr:
                    r[ip[1]] = (uint)r[ip[2]] + (uint)r[ip[3]];
                    ip = c + ip[4];
                    goto chargeRun;
                case Op.CopyBr:
                    r[ip[1]] = r[ip[2]];
                    ip = c + ip[3];
                    goto chargeRun;
                case Op.BrTableLoad8U:
                {
                    var ea = (ulong)(uint)r[ip[2]] + (uint)ip[3];
                    if (ea + 1 > memLen) goto oob;
                    uint value = mem[ea];
                    r[ip[1]] = value;
                    ip = c + BrTableTarget(ip + 4, r, value);
                    goto chargeRun;
                }
                default:
                    throw new InvalidOperationException($"corrupt lowered code: operation {*ip} at {ip - c}");
            }

        call:
            if (callee.Host is not null)
            {
                _fuel = fuel;
                var fnId = _fnId;
                var fp = _fp;
                var ctx = _ctx;
                _stackTop = fp + _byId[fnId].FrameSize;
                CallHost(callee, fp + argSlot, ctx.Instance);
                _fnId = fnId;
                _fp = fp;
                _ctx = ctx;
                fuel = _fuel;
                r = _stackBase + fp;
                mem = MemoryPointer(_ctx);
                memLen = MemoryLength(_ctx);
                ip = c + retPc;
                continue;
            }
            if (callee.Code is null) Lower(callee);
            if (_frameCount >= _maxDepth)
            {
                trapKind = TrapKind.CallStackExhausted;
                goto trap;
            }
            {
                var newFp = _fp + argSlot;
                if (newFp + (long)callee.FrameSize > _stack.Length)
                {
                    if (newFp + (long)callee.FrameSize > _maxSlots)
                    {
                        trapKind = TrapKind.CallStackExhausted;
                        goto trap;
                    }
                    EnsureStack(newFp + (long)callee.FrameSize, _byId[_fnId], (int)(ip - c));
                }
                if (_frameCount == _frames.Length) Array.Resize(ref _frames, _frames.Length * 2);
                var crossing = callee.Context != _ctx;
                ref var frame = ref _frames[_frameCount++];
                frame.FunctionId = _fnId;
                frame.ReturnPc = retPc;
                frame.Fp = _fp;
                frame.Code = c;
                frame.CrossInstance = crossing;
                _fnId = callee.Id;
                _fp = newFp;
                r = _stackBase + newFp;
                for (var i = callee.ParamCount; i < callee.LocalCount; i++) r[i] = 0;
                c = callee.CodePtr;
                ip = c;
                if (crossing)
                {
                    _ctx = callee.Context;
                    mem = MemoryPointer(_ctx);
                    memLen = MemoryLength(_ctx);
                }
                goto chargeRun;
            }

        chargeRun:
            {
                long cost = ip[1];
                if (fuel < cost)
                {
                    trapKind = TrapKind.OutOfFuel;
                    goto trap;
                }
                fuel -= cost;
                ip += 2;
                continue;
            }

        doReturn:
            {
                ref var frame = ref _frames[--_frameCount];
                if (frame.FunctionId < 0)
                {
                    _fuel = fuel;
                    return;
                }
                _fnId = frame.FunctionId;
                _fp = frame.Fp;
                r = _stackBase + frame.Fp;
                c = frame.Code;
                ip = c + frame.ReturnPc;
                if (frame.CrossInstance) _ctx = _byId[frame.FunctionId].Context;
                mem = MemoryPointer(_ctx);
                memLen = MemoryLength(_ctx);
                continue;
            }
        }

    divZero:
        trapKind = TrapKind.IntegerDivideByZero;
        goto trap;
    overflow:
        trapKind = TrapKind.IntegerOverflow;
        goto trap;
    oob:
        trapKind = TrapKind.MemoryOutOfBounds;
        goto trap;
    tableOob:
        trapKind = TrapKind.TableOutOfBounds;
    trap:
        _fuel = fuel;
        throw Trap(trapKind, _byId[_fnId], (int)(ip - c));
    }
}
