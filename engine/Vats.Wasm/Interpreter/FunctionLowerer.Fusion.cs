using Vats.Wasm.Binary;
using Vats.Wasm.Errors;
using Vats.Wasm.Model;

namespace Vats.Wasm.Interpreter;

/// <summary>
/// Superinstructions: folding the operation emitted last into the one being emitted (a constant operand, an
/// address addend, a comparison feeding a branch, pairs of moves).
/// </summary>
internal sealed partial class FunctionLowerer
{
    private static readonly Dictionary<Op, Op> LoadsWithAddend = Variants("Load", "Add");

    private static readonly Dictionary<Op, Op> LoadsWithAddendTee = Variants("Load", "AddTee");

    private static readonly Dictionary<Op, Op> StoresWithAddend = Variants("Store", "Add");

    /// <summary>Maps each plain load or store to its fused form named with <paramref name="suffix"/>.</summary>
    private static Dictionary<Op, Op> Variants(string access, string suffix) => Enum.GetValues<Op>()
        .Where(o => o.ToString().Contains(access, StringComparison.Ordinal) && o.ToString().EndsWith(suffix, StringComparison.Ordinal))
        .ToDictionary(o => Enum.Parse<Op>(o.ToString()[..^suffix.Length]), o => o);

    /// <summary>
    /// The local.tee form of <see cref="TakeAddImmediate"/>: the top operand reads a local that the operation
    /// emitted last set to another value plus a constant. The consumer then also performs that write.
    /// </summary>
    private bool TakeAddImmediateTee(out int source, out int addend, out int local)
    {
        source = addend = local = 0;
        if (_h <= CurrentFloor() || _lastOpPc < 0 || _lastOpPc + 4 != _n) return false;
        local = _stack[_h - 1].Slot;
        if (local < 0 || local >= _locals || _code[_lastOpPc + 1] != local) return false;
        return RemoveAddImmediate(out source, out addend);
    }

    /// <summary>
    /// If the top operand was produced by the operation emitted last and that adds or subtracts a constant,
    /// removes that operation and pops the operand: the consumer adds the constant itself (wrapping at 32 bits).
    /// </summary>
    private bool TakeAddImmediate(out int source, out int addend)
    {
        source = addend = 0;
        return LastResultAt(_h - 1) >= 0 && RemoveAddImmediate(out source, out addend);
    }

    /// <summary>
    /// The pc of the operation emitted last if the operand at stack index <paramref name="index"/> is its result,
    /// still in its own slot (so nothing else reads it); otherwise -1.
    /// </summary>
    private int LastResultAt(int index)
    {
        if (index < CurrentFloor() || _lastDstSite < 0 || _lastDstSite != _lastOpPc + 1) return -1;
        var slot = _locals + index;
        return _stack[index].Slot == slot && _code[_lastDstSite] == slot ? _lastOpPc : -1;
    }

    /// <summary>
    /// i32.add of a value shifted left by a constant (an array index scaled to its element size) and another
    /// value: one operation when the shift was emitted last. False when nothing was emitted.
    /// </summary>
    private bool TryAddShifted()
    {
        if (_h - 2 < CurrentFloor() || IsImmediate(_h - 1) || IsImmediate(_h - 2)) return false;
        var shifted = LastResultAt(_h - 1) >= 0 ? _h - 1 : LastResultAt(_h - 2) >= 0 ? _h - 2 : -1;
        if (shifted < 0 || (Op)_code[_lastOpPc] != Op.I32ShlImm) return false;
        var at = _lastOpPc;
        var x = _code[at + 2];
        var k = _code[at + 3];
        var y = _stack[shifted == _h - 1 ? _h - 2 : _h - 1].Slot;
        _n = at;
        _lastDstSite = -1;
        _lastOpPc = _prevOpPc;
        _prevOpPc = -1;
        _h -= 2;
        var dst = PushSlot();
        Emit(Op.I32AddShifted);
        PutDst(dst);
        Put(x);
        Put(k);
        Put(y);
        return true;
    }
    /// <summary>If the operation emitted last adds or subtracts a constant, removes it and pops its result.</summary>
    private bool RemoveAddImmediate(out int source, out int addend)
    {
        source = addend = 0;
        var op = (Op)_code[_lastOpPc];
        if (op is not (Op.I32AddImm or Op.I32SubImm)) return false;
        var at = _lastOpPc;
        source = _code[at + 2];
        addend = op == Op.I32AddImm ? _code[at + 3] : -_code[at + 3];
        _n = at;
        _lastDstSite = -1;
        _lastOpPc = _prevOpPc;
        _prevOpPc = -1;
        _h--;
        return true;
    }

    /// <summary>An integer comparison just emitted whose only use is the branch being lowered.</summary>
    private readonly record struct Comparison(Op Source, Op Fused, int A, int B, ulong Immediate);

    // Declared before the tables built from it (static initializers run in textual order).
    private static readonly Dictionary<string, string> Negations = new()
    {
        ["Eq"] = "Ne", ["Ne"] = "Eq", ["LtS"] = "GeS", ["GeS"] = "LtS", ["LtU"] = "GeU", ["GeU"] = "LtU",
        ["GtS"] = "LeS", ["LeS"] = "GtS", ["GtU"] = "LeU", ["LeU"] = "GtU", ["Eqz"] = "Nez",
    };

    private static readonly Dictionary<Op, (Op Fused, Op Negated)> FusedBranches = BuildFusedBranches();

    private static Dictionary<Op, (Op, Op)> BuildFusedBranches()
    {
        var map = new Dictionary<Op, (Op, Op)>();
        foreach (var width in new[] { "I32", "I64" })
        foreach (var (test, negated) in Negations)
        foreach (var suffix in new[] { "", "Imm" })
        {
            if (test == "Eqz" && suffix != "") continue;
            var source = Enum.Parse<Op>(width + test + suffix);
            map[source] = (Enum.Parse<Op>("BrIf" + width + test + suffix), Enum.Parse<Op>("BrIf" + width + negated + suffix));
        }
        return map;
    }

    /// <summary>Each integer comparison (register or immediate form) to its negation; eqz has none.</summary>
    private static readonly Dictionary<Op, Op> NegatedComparisons = BuildNegatedComparisons();

    private static Dictionary<Op, Op> BuildNegatedComparisons()
    {
        var map = new Dictionary<Op, Op>();
        foreach (var width in new[] { "I32", "I64" })
        foreach (var (test, negated) in Negations)
        foreach (var suffix in new[] { "", "Imm" })
        {
            if (test == "Eqz") continue;
            map[Enum.Parse<Op>(width + test + suffix)] = Enum.Parse<Op>(width + negated + suffix);
        }
        return map;
    }

    /// <summary>
    /// i32.eqz of a comparison just emitted (its only use) is the negated comparison: rewrites that operation in
    /// place, its result already being the top operand. A branch on it can then fuse with it too.
    /// </summary>
    private bool TryNegateLastComparison()
    {
        var at = LastResultAt(_h - 1);
        if (at < 0 || !NegatedComparisons.TryGetValue((Op)_code[at], out var negated)) return false;
        _code[at] = (int)negated;
        return true;
    }

    /// <summary>
    /// An unconditional branch right after a move or an addition (a loop counter, a phi copy) that the
    /// branch needs no value copy for: the branch becomes part of that operation. False when nothing was emitted.
    /// </summary>
    private bool TryFuseBranchIntoLast()
    {
        return FuseWithLast(Op.I32AddImm, 4, Op.I32AddImmBr) || FuseWithLast(Op.I32Add, 4, Op.I32AddBr)
            || FuseWithLast(Op.Copy, 3, Op.CopyBr);
    }

    /// <summary>
    /// If the top operand was produced by the operation emitted last and that is an integer comparison, removes
    /// that operation and pops the operand so the branch can test the comparison itself.
    /// </summary>
    private Comparison? TakeComparison(bool negate)
    {
        if (_h <= CurrentFloor() || _lastDstSite < 0 || _lastDstSite != _lastOpPc + 1) return null;
        var top = _locals + _h - 1;
        if (_stack[_h - 1].Slot != top || _code[_lastDstSite] != top) return null;
        var op = (Op)_code[_lastOpPc];
        if (!FusedBranches.TryGetValue(op, out var fused)) return null;
        var at = _lastOpPc;
        var a = _code[at + 2];
        var b = 0;
        ulong immediate = 0;
        if (op is Op.I32Eqz or Op.I64Eqz) { }
        else if (!IsImmediateForm(op)) b = _code[at + 3];
        else if (Is64(op)) immediate = (uint)_code[at + 3] | ((ulong)(uint)_code[at + 4] << 32);
        else immediate = (uint)_code[at + 3];
        _n = at;
        _lastDstSite = -1;
        _lastOpPc = -1;
        _h--;
        return new Comparison(op, negate ? fused.Negated : fused.Fused, a, b, immediate);
    }

    private static bool IsImmediateForm(Op op) => ImmediateFormOps.Contains(op);

    // Looked up on every fused branch while lowering; a set avoids formatting the enum name each time.
    private static readonly HashSet<Op> ImmediateFormOps =
        Enum.GetValues<Op>().Where(o => o.ToString().EndsWith("Imm", StringComparison.Ordinal)).ToHashSet();

    private static bool Is64(Op op) =>
        op is >= Op.I64Eqz and <= Op.I64GeU or >= Op.I64Clz and <= Op.I64Rotr or >= Op.I64AddImm and <= Op.I64GeUImm;

    /// <summary>Re-emits a taken comparison as the plain operation it was (when the branch cannot be fused).</summary>
    private int EmitComparison(Comparison comparison)
    {
        var dst = PushSlot();
        Emit(comparison.Source);
        PutDst(dst);
        PutComparisonOperands(comparison.Source, comparison);
        return PopSlot();
    }

    private void PutComparisonOperands(Op op, Comparison comparison)
    {
        Put(comparison.A);
        if (op is Op.I32Eqz or Op.I64Eqz) return;
        if (!IsImmediateForm(op)) Put(comparison.B);
        else if (Is64(op)) PutConstant(comparison.Immediate);
        else Put((int)(uint)comparison.Immediate);
    }

    private void EmitFusedComparison(Comparison comparison)
    {
        Emit(comparison.Fused);
        PutComparisonOperands(comparison.Source, comparison);
    }
    private static readonly Dictionary<Op, Op> ImmediateForms = BuildImmediateForms();

    private static Dictionary<Op, Op> BuildImmediateForms()
    {
        var forms = new Dictionary<Op, Op>();
        foreach (var op in Enum.GetValues<Op>())
        {
            var name = op.ToString();
            if (name.EndsWith("Imm", StringComparison.Ordinal)) forms[Enum.Parse<Op>(name[..^3])] = op;
        }
        return forms;
    }

    private static bool IsCommutative(Op op) => op is Op.I32Add or Op.I32Mul or Op.I32And or Op.I32Or or Op.I32Xor
        or Op.I32Eq or Op.I32Ne or Op.I64Add or Op.I64Mul or Op.I64And or Op.I64Or or Op.I64Xor or Op.I64Eq or Op.I64Ne;

    // Moves come in runs (phi copies, call arguments, constants assigned to locals): pairs share one dispatch.

    private void EmitCopy(int dst, int src)
    {
        if (!FuseWithLast(Op.Copy, 3, Op.Copy2)) Emit(Op.Copy);
        PutDst(dst);
        Put(src);
    }

    private void EmitConst(int dst, ulong value)
    {
        if (!FuseWithLast(Op.Const, 4, Op.Const2)) Emit(Op.Const);
        PutDst(dst);
        PutConstant(value);
    }

    /// <summary>
    /// If the operation emitted last is <paramref name="last"/> (of <paramref name="lastLength"/> ints), turns it
    /// into <paramref name="fused"/>, whose further operands the caller appends.
    /// </summary>
    private bool FuseWithLast(Op last, int lastLength, Op fused)
    {
        if (_lastOpPc < 0 || _lastOpPc + lastLength != _n || (Op)_code[_lastOpPc] != last) return false;
        _code[_lastOpPc] = (int)fused;
        return true;
    }
}
