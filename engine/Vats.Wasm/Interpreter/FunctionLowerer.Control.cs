using Vats.Wasm.Binary;
using Vats.Wasm.Errors;
using Vats.Wasm.Model;

namespace Vats.Wasm.Interpreter;

/// <summary>Blocks, loops, if/else, branches, br_table, returns, and the fuel run each branch target starts.</summary>
internal sealed partial class FunctionLowerer
{
    private enum Kind { Block, Loop, If, Function }

    private sealed class Control
    {
        public Kind Kind;
        public int Height;
        public int Params;
        public int Results;
        public int LoopPc;
        public int ElseSite = -1;
        public List<int>? Patches;
        public bool HadElse;

        /// <summary>How many values a branch to this label carries.</summary>
        public int Arity => Kind == Kind.Loop ? Params : Results;
    }


    private (int Params, int Results) BlockArity(BlockType type)
    {
        if (type.IsEmpty) return (0, 0);
        if (!type.IsTypeIndex) return (0, 1);
        if (type.TypeIndex >= (uint)_module.Types.Count) throw new InvalidModuleException(_offset, "unknown type", _function.Index);
        var t = _module.Types[(int)type.TypeIndex];
        return (t.Parameters.Length, t.Results.Length);
    }
    /// <summary>br_if on a taken comparison; false when the branch needs a value copy (then nothing was emitted).</summary>
    private bool FusedBranch(int label, Comparison comparison)
    {
        var target = Target(label);
        var arity = target.Arity;
        if (arity > 0 && _h - arity != target.Height) return false;
        MaterializeTop(arity);
        EmitFusedComparison(comparison);
        PutTarget(target);
        return true;
    }
    private void Branch(int label, int cond)
    {
        var target = Target(label);
        var arity = target.Arity;
        MaterializeTop(arity);
        var src = _locals + _h - arity;
        var dst = _locals + target.Height;
        var copy = arity > 0 && src != dst;
        if (cond < 0)
        {
            if (copy || !TryFuseBranchIntoLast()) Emit(copy ? Op.BrCopy : Op.Br);
        }
        else
        {
            Emit(copy ? Op.BrIfCopy : Op.BrIf);
            Put(cond);
        }
        PutTarget(target);
        if (copy)
        {
            Put(src);
            Put(dst);
            Put(arity);
        }
    }

    private void PutTarget(Control target)
    {
        if (target.Kind == Kind.Loop)
        {
            Put(target.LoopPc);
        }
        else
        {
            (target.Patches ??= []).Add(_n);
            Put(-1);
        }
    }

    private void BrTable(in Instruction ins)
    {
        // The index is often computed by subtracting a constant (a C switch over a range) from a byte just loaded
        // (an interpreter's opcode fetch); br_table does both itself.
        var bias = 0;
        int index;
        if (TakeAddImmediate(out var x, out var k))
        {
            index = x;
            bias = -k;
        }
        else
        {
            index = PopSlot();
        }
        var load = -1;
        if (_lastOpPc >= 0 && _lastOpPc + 4 == _n && (Op)_code[_lastOpPc] == Op.I32Load8U && _code[_lastOpPc + 1] == index)
        {
            load = _lastOpPc;
            _n = load;
            _lastOpPc = _prevOpPc = _lastDstSite = -1;
        }
        var targets = ins.Targets!;
        var arity = Target((int)ins.A).Arity;
        MaterializeTop(arity);
        var src = _locals + _h - arity;
        if (load >= 0)
        {
            var dst = _code[load + 1];
            var address = _code[load + 2];
            var offset = _code[load + 3];
            var loadOffset = _offsets[load];
            Emit(Op.BrTableLoad8U);
            _offsets[_n - 1] = loadOffset; // the only trap it can raise is the load's
            Put(dst);
            Put(address);
            Put(offset);
        }
        else
        {
            Emit(Op.BrTable);
            Put(index);
        }
        Put(bias);
        Put(targets.Length);
        Put(src);
        Put(arity);
        for (var i = 0; i <= targets.Length; i++)
        {
            var label = i < targets.Length ? (int)targets[i] : (int)ins.A;
            var target = Target(label);
            PutTarget(target);
            Put(_locals + target.Height);
        }
    }

    private Control Target(int label) => label < _controls.Count
        ? _controls[_controls.Count - 1 - label]
        : throw new InvalidModuleException(_offset, "unknown label", _function.Index);

    private void Else()
    {
        var control = _controls[^1];
        if (control.Kind != Kind.If || control.HadElse) throw new InvalidModuleException(_offset, "else without if", _function.Index);
        control.HadElse = true;
        if (!_unreachable)
        {
            MaterializeAll();
            Emit(Op.Br);
            (control.Patches ??= []).Add(_n);
            Put(-1);
        }
        StartRun();
        _code[control.ElseSite] = _fuelSite - 1;
        control.ElseSite = -1;
        _h = control.Height;
        for (var i = 0; i < control.Params; i++) PushSlot();
        _unreachable = false;
    }

    private void End()
    {
        var control = _controls[^1];
        _controls.RemoveAt(_controls.Count - 1);
        if (!_unreachable) MaterializeAll();
        var reachable = !_unreachable;
        _h = control.Height;
        for (var i = 0; i < control.Results; i++) PushSlot();
        _unreachable = false;
        var hasBranches = control.Patches is { Count: > 0 } || control.ElseSite >= 0;
        if (hasBranches || !reachable)
        {
            StartRun();
            var label = _fuelSite - 1;
            if (control.Patches is not null)
                foreach (var site in control.Patches) _code[site] = label;
            if (control.ElseSite >= 0) _code[control.ElseSite] = label;
        }
        if (control.Kind == Kind.Function) EmitReturn(_locals, control.Results);
    }

    private void EmitReturn(int src, int count)
    {
        if (count == 0)
        {
            Emit(Op.Return0);
        }
        else if (count == 1)
        {
            Emit(Op.Return1);
            Put(src);
        }
        else
        {
            Emit(Op.Return);
            Put(src);
            Put(count);
        }
    }

    private void StartRun()
    {
        CloseRun();
        Emit(Op.Fuel);
        _fuelSite = _n;
        Put(0);
        _fuelCount = 0;
    }

    private void CloseRun()
    {
        if (_fuelSite >= 0) _code[_fuelSite] = _fuelCount;
    }
}
