using System.Reflection.Emit;
using Vats.Wasm.Binary;
using Vats.Wasm.Errors;
using Vats.Wasm.Model;

namespace Vats.Wasm.Compiler;

/// <summary>Blocks, loops, if/else, branches, br_table and returns.</summary>
internal sealed partial class FunctionCompiler
{
    private enum ControlKind { Block, Loop, If, Function }

    private sealed class Control(ControlKind kind, int height, ValType[] parameters, ValType[] results, int label)
    {
        public readonly ControlKind Kind = kind;

        /// <summary>Operand height below the block's parameters.</summary>
        public readonly int Height = height;

        public readonly ValType[] Params = parameters;
        public readonly ValType[] Results = results;

        /// <summary>A loop's header, or the end of anything else.</summary>
        public readonly int Label = label;

        /// <summary>Where an if's false branch goes (its else, or its end when it has none); -1 otherwise.</summary>
        public int ElseLabel = -1;

        public bool HadElse;

        /// <summary>An if's bounds knowledge where it starts (what its else arm, or its missing else, begins with).</summary>
        public BoundsState? EntryBounds;

        /// <summary>Bounds knowledge common to every branch to the end label so far; null before the first.</summary>
        public BoundsState? BranchBounds;

        /// <summary>True once a branch targets the end label.</summary>
        public bool Branched;

        /// <summary>Values a branch to this label carries.</summary>
        public ValType[] BranchTypes => Kind == ControlKind.Loop ? Params : Results;
    }

    private void Translate(in Instruction ins)
    {
        var op = ins.Opcode;
        // Structure costs no fuel: it executes nothing (the interpreter's rule).
        if (op is not (Opcode.Block or Opcode.Loop or Opcode.Else or Opcode.End or Opcode.Nop)) Count();
        switch (op)
        {
            case Opcode.Unreachable:
                SpillAll();
                _il.Branch(OpCodes.Br, TrapLabel(TrapKind.Unreachable));
                _unreachable = true;
                return;
            case Opcode.Nop:
                return;
            case Opcode.Block:
            case Opcode.Loop:
            {
                var (p, r) = BlockTypes(ins.BlockType);
                SpillAll();
                var control = new Control(op == Opcode.Block ? ControlKind.Block : ControlKind.Loop, Height - p.Length, p, r, _il.DefineLabel());
                _controls.Add(control);
                if (op == Opcode.Loop)
                {
                    ForgetBounds();
                    _il.Mark(control.Label);
                    StartRun();
                }
                return;
            }
            case Opcode.If:
            {
                var (p, r) = BlockTypes(ins.BlockType);
                var cond = PopToTemp();
                SpillAll();
                var control = new Control(ControlKind.If, Height - p.Length, p, r, _il.DefineLabel())
                {
                    ElseLabel = _il.DefineLabel(),
                    EntryBounds = CaptureBounds(),
                };
                _controls.Add(control);
                _il.Ldloc(cond);
                _il.Branch(OpCodes.Brfalse, control.ElseLabel);
                StartRun();
                return;
            }
            case Opcode.Else:
                Else();
                return;
            case Opcode.End:
                End();
                return;
            case Opcode.Br:
                SpillAll();
                BranchTo(Target((int)ins.A));
                _unreachable = true;
                return;
            case Opcode.BrIf:
            {
                var cond = PopToTemp();
                SpillAll();
                var target = Target((int)ins.A);
                if (NeedsCopy(target))
                {
                    var skip = _il.DefineLabel();
                    _il.Ldloc(cond);
                    _il.Branch(OpCodes.Brfalse, skip);
                    BranchTo(target);
                    _il.Mark(skip);
                }
                else
                {
                    if (target.Kind != ControlKind.Loop) target.Branched = true;
                    NoteBranch(target);
                    _il.Ldloc(cond);
                    _il.Branch(OpCodes.Brtrue, target.Label);
                }
                StartRun();
                return;
            }
            case Opcode.BrTable:
                BrTable(in ins);
                _unreachable = true;
                return;
            case Opcode.Return:
                Return();
                _unreachable = true;
                return;
            case Opcode.Call:
                Call((int)ins.A);
                return;
            case Opcode.CallIndirect:
                CallIndirect((int)ins.A, (int)ins.B);
                return;
            case Opcode.Drop:
                Operands(1);
                _il.Emit(OpCodes.Pop);
                Consumed(1);
                return;
            case Opcode.Select:
            case Opcode.SelectTyped:
                Select();
                return;
            case Opcode.LocalGet:
                LoadLocal((int)ins.A);
                Push(_localTypes[(int)ins.A]);
                NoteLocalGet((int)ins.A);
                return;
            case Opcode.LocalSet:
                Operands(1);
                NoteLocalSet((int)ins.A);
                StoreLocal((int)ins.A);
                Consumed(1);
                return;
            case Opcode.LocalTee:
                Operands(1);
                NoteLocalSet((int)ins.A);
                StoreLocal((int)ins.A);
                LoadLocal((int)ins.A);
                return;
            case Opcode.GlobalGet:
                GlobalGet((int)ins.A);
                return;
            case Opcode.GlobalSet:
                GlobalSet((int)ins.A);
                return;
            case Opcode.TableGet or Opcode.TableSet or Opcode.TableInit or Opcode.ElemDrop or Opcode.TableCopy
                or Opcode.TableGrow or Opcode.TableSize or Opcode.TableFill:
                TranslateTable(in ins);
                return;
            case >= Opcode.I32Load and <= Opcode.MemoryGrow:
            case Opcode.MemoryInit or Opcode.DataDrop or Opcode.MemoryCopy or Opcode.MemoryFill:
                TranslateMemory(in ins);
                return;
            case Opcode.I32Const:
                _il.LdcI4((int)ins.Value);
                Push(ValType.I32);
                return;
            case Opcode.F32Const:
                _il.LdcI4((int)(uint)ins.Value);
                Push(ValType.F32);
                return;
            case Opcode.I64Const:
            case Opcode.F64Const:
                _il.LdcI8((long)ins.Value);
                Push(op == Opcode.I64Const ? ValType.I64 : ValType.F64);
                return;
            case Opcode.RefNull:
                _il.LdcI8(0);
                Push((ValType)(byte)ins.Value);
                return;
            case Opcode.RefFunc:
                _il.Ldarg(_argCtx);
                _il.Ldfld(Members.InstanceFuncRefs);
                _il.LdcI4((int)ins.A);
                _il.Emit(OpCodes.Ldelem_I8);
                Push(ValType.FuncRef);
                return;
            case Opcode.RefIsNull:
                Operands(1);
                _il.LdcI8(0);
                _il.Emit(OpCodes.Ceq);
                Consumed(1);
                Push(ValType.I32);
                return;
            default:
                TranslateNumeric(op);
                return;
        }
    }

    private (ValType[] Params, ValType[] Results) BlockTypes(BlockType type)
    {
        if (type.IsEmpty) return ([], []);
        if (!type.IsTypeIndex) return ([], [type.ValType]);
        var t = _module.Module.Types[(int)type.TypeIndex];
        return (t.Parameters, t.Results);
    }

    private Control Target(int label) => label < _controls.Count
        ? _controls[_controls.Count - 1 - label]
        : throw new InvalidModuleException(_offset, "unknown label", _index);

    /// <summary>True when a branch to <paramref name="target"/> must move values (all entries are in slots).</summary>
    private bool NeedsCopy(Control target)
    {
        var n = target.BranchTypes.Length;
        return n > 0 && Height - n != target.Height;
    }

    /// <summary>Unconditional jump to <paramref name="target"/> with its values moved into place; the IL stack is empty.</summary>
    private void BranchTo(Control target)
    {
        var types = target.BranchTypes;
        var from = Height - types.Length;
        if (from != target.Height)
        {
            for (var i = 0; i < types.Length; i++)
            {
                _il.Ldloc(Slot(from + i, types[i]));
                _il.Stloc(Slot(target.Height + i, types[i]));
            }
        }
        NoteBranch(target);
        if (target.Kind == ControlKind.Function)
        {
            target.Branched = true;
        }
        else if (target.Kind != ControlKind.Loop)
        {
            target.Branched = true;
        }
        _il.Branch(OpCodes.Br, target.Label);
    }

    private void BrTable(in Instruction ins)
    {
        var index = PopToTemp();
        SpillAll();
        var targets = ins.Targets!;
        var labels = new int[targets.Length];
        var trampolines = new List<(int Label, Control Target)>();
        int LabelFor(Control target)
        {
            if (!NeedsCopy(target))
            {
                if (target.Kind != ControlKind.Loop) target.Branched = true;
                NoteBranch(target);
                return target.Label;
            }
            foreach (var (label, t) in trampolines)
                if (t == target) return label;
            var trampoline = _il.DefineLabel();
            trampolines.Add((trampoline, target));
            return trampoline;
        }
        for (var i = 0; i < targets.Length; i++) labels[i] = LabelFor(Target((int)targets[i]));
        var fallback = LabelFor(Target((int)ins.A));
        _il.Ldloc(index);
        // As a native int: the JIT zero-extends an int32 switch value before indexing the jump table (one move per
        // dispatch of QuickJS's interpreter loops); converted here, the bounds compare and the index share it.
        _il.Emit(OpCodes.Conv_U);
        _il.Switch(labels);
        _il.Branch(OpCodes.Br, fallback);
        foreach (var (label, target) in trampolines)
        {
            _il.Mark(label);
            BranchTo(target);
        }
    }

    private void Else()
    {
        var control = _controls[^1];
        if (control.Kind != ControlKind.If || control.HadElse) throw new InvalidModuleException(_offset, "else without if", _index);
        control.HadElse = true;
        if (!_unreachable)
        {
            SpillAll();
            control.Branched = true;
            NoteBranch(control);
            _il.Branch(OpCodes.Br, control.Label);
        }
        RestoreBounds(control.EntryBounds);
        _il.Mark(control.ElseLabel);
        ResetStack(control.Height, control.Params);
        StartRun();
        _unreachable = false;
    }

    private void End()
    {
        var control = _controls[^1];
        _controls.RemoveAt(_controls.Count - 1);
        var reachable = !_unreachable;
        if (reachable) SpillAll();
        ResetStack(control.Height, control.Results);
        _unreachable = false;
        var pendingElse = control.Kind == ControlKind.If && !control.HadElse;
        var branched = control.Kind != ControlKind.Loop && control.Branched;
        MergeBounds(control, reachable, pendingElse);
        if (branched || pendingElse || !reachable)
        {
            if (control.Kind != ControlKind.Loop) _il.Mark(control.Label);
            if (pendingElse) _il.Mark(control.ElseLabel);
            StartRun();
        }
        if (control.Kind == ControlKind.Function) EmitReturn();
    }

    private void ResetStack(int height, ValType[] types)
    {
        if (_ilCount > 0) throw new InvalidOperationException("IL entries at a block boundary");
        _stack.RemoveRange(height, _stack.Count - height);
        _origins.RemoveRange(height, _origins.Count - height);
        foreach (var t in types) PushSlot(t);
    }

    private void Return()
    {
        if (_type.Results.Length == 1 && _ilCount > 1)
        {
            // Only the result may be on the IL stack at ret.
            var result = PopToTemp();
            SpillAll();
            _il.Ldloc(result);
            Push(_type.Results[0]);
        }
        else if (_type.Results.Length != 1 || _ilCount != 1)
        {
            SpillAll();
        }
        EmitReturn();
    }

    /// <summary>Returns the top results (in slots, or the single result alone on the IL stack).</summary>
    private void EmitReturn()
    {
        var results = _type.Results;
        var n = results.Length;
        if (n == 1)
        {
            if (_ilCount == 0) _il.Ldloc(Slot(Height - 1, results[0]));
            SyncFuelOut();
            _il.Emit(OpCodes.Ret);
            if (_ilCount > 0) Consumed(1);
            return;
        }
        if (n > 1)
        {
            for (var i = 0; i < n; i++)
            {
                _il.Ldarg(_argCtx);
                _il.Ldfld(Members.InstanceState);
                _il.Ldfld(Members.StateResults);
                _il.LdcI4(i);
                _il.Ldloc(Slot(Height - n + i, results[i]));
                if (IlType(results[i]) == typeof(int)) _il.Emit(OpCodes.Conv_U8);
                _il.Emit(OpCodes.Stelem_I8);
            }
        }
        SyncFuelOut();
        _il.Emit(OpCodes.Ret);
    }

    private void LoadLocal(int x)
    {
        if (x < _paramCount) _il.Ldarg(x);
        else _il.Ldloc(_localIds[x]);
    }

    private void StoreLocal(int x)
    {
        if (x < _paramCount) _il.Starg(x);
        else _il.Stloc(_localIds[x]);
    }

    private void Select()
    {
        Operands(3);
        var type = Top(1);
        _selectCond = _selectCond >= 0 ? _selectCond : _il.DeclareLocal(typeof(int));
        _il.Stloc(_selectCond);
        Consumed(1);
        var b = PopToTemp(second: true);
        var a = PopToTemp();
        var spilled = SpillAll();
        var done = _il.DefineLabel();
        _il.Ldloc(_selectCond);
        _il.Branch(OpCodes.Brtrue, done);
        _il.Ldloc(b);
        _il.Stloc(a);
        _il.Mark(done);
        Reload(spilled);
        _il.Ldloc(a);
        Push(type);
    }
}
