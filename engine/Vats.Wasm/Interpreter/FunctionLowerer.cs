using Vats.Wasm.Binary;
using Vats.Wasm.Errors;
using Vats.Wasm.Model;

namespace Vats.Wasm.Interpreter;

/// <summary>
/// Lowers one function body to the interpreter's operation array. Stack heights are static in valid wasm, so
/// every operand gets a fixed frame slot (locals first, then operand i at LocalCount + i) and operations name
/// their slots directly. Operands that are plain local reads stay references to the local until something
/// forces them into their own slot (a write to that local, a block boundary, a call), which removes most
/// local.get copies. Frequent sequences become one operation: a binary operation with a constant right
/// operand, an integer comparison feeding br_if or if, a constant added to a load's address, an opcode byte
/// loaded and fed (minus a constant) to br_table, and pairs of moves. Fusion only ever looks at the operation
/// emitted last, so no branch target can fall between the fused parts.
/// Fuel is charged per straight-line run (see <see cref="Interpreter"/>): every run starts with a Fuel
/// operation, which branches and calls charge themselves and skip.
/// </summary>
internal sealed class FunctionLowerer
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
    }

    private struct Entry
    {
        public int Slot; // frame slot holding the value; -1 for a not yet materialized constant
        public ulong Constant;
    }

    private readonly Module _module;
    private readonly InstanceContext _context;
    private readonly CompiledFunction _function;
    private readonly int _locals;

    private int[] _code = new int[256];
    private int[] _offsets = new int[256];
    private int _n;

    private Entry[] _stack = new Entry[32];
    private int _h;
    private int _maxH;

    private readonly List<Control> _controls = [];
    private bool _unreachable;

    private int _fuelSite = -1;
    private int _fuelCount;
    private int _lastDstSite = -1;
    private int _lastOpPc = -1;
    private int _prevOpPc = -1;
    private int _offset;

    private FunctionLowerer(Module module, InstanceContext context, CompiledFunction function)
    {
        _module = module;
        _context = context;
        _function = function;
        _locals = function.ParamCount + function.Wasm!.Body.Locals.Length;
    }

    public static void Lower(Module module, InstanceContext context, CompiledFunction function)
    {
        var lowerer = new FunctionLowerer(module, context, function);
        lowerer.Run();
    }

    private void Run()
    {
        var body = _function.Wasm!.Body;
        var reader = new InstructionReader(body.Code.Span, body.CodeOffset);
        _offset = body.CodeOffset;
        _controls.Add(new Control { Kind = Kind.Function, Height = 0, Params = 0, Results = _function.ResultCount });
        StartRun();
        var skipDepth = 0;
        while (!reader.AtEnd)
        {
            var ins = reader.Read();
            _offset = ins.Offset;
            if (_unreachable)
            {
                switch (ins.Opcode)
                {
                    case Opcode.Block or Opcode.Loop or Opcode.If:
                        skipDepth++;
                        continue;
                    case Opcode.Else when skipDepth == 0:
                        Else();
                        continue;
                    case Opcode.End when skipDepth == 0:
                        End();
                        if (_controls.Count == 0) goto done;
                        continue;
                    case Opcode.End:
                        skipDepth--;
                        continue;
                    default:
                        continue;
                }
            }
            LowerInstruction(in ins);
            if (_controls.Count == 0) goto done;
        }
        throw new InvalidModuleException(_offset, "unexpected end of function body", _function.Index);
    done:
        CloseRun();
        _function.LocalCount = _locals;
        _function.FrameSize = _locals + _maxH + 1;
        _function.Context = _context;
        _function.SetCode(_code, _n, _offsets);
    }

    private void LowerInstruction(in Instruction ins)
    {
        var op = ins.Opcode;
        // Structure (block, loop, else, end, nop) costs nothing: it executes no operation of its own.
        if (op is not (Opcode.Block or Opcode.Loop or Opcode.Else or Opcode.End or Opcode.Nop)) _fuelCount++;
        switch (op)
        {
            case Opcode.Unreachable:
                Emit(Op.Unreachable);
                _unreachable = true;
                return;
            case Opcode.Nop:
                return;
            case Opcode.Block:
            case Opcode.Loop:
            {
                var (p, r) = BlockArity(ins.BlockType);
                MaterializeAll();
                var control = new Control { Kind = op == Opcode.Block ? Kind.Block : Kind.Loop, Height = _h - p, Params = p, Results = r };
                _controls.Add(control);
                if (op == Opcode.Loop)
                {
                    StartRun();
                    control.LoopPc = _fuelSite - 1;
                }
                return;
            }
            case Opcode.If:
            {
                var (p, r) = BlockArity(ins.BlockType);
                var comparison = TakeComparison(negate: true);
                var cond = comparison is null ? PopSlot() : -1;
                MaterializeAll();
                var control = new Control { Kind = Kind.If, Height = _h - p, Params = p, Results = r };
                _controls.Add(control);
                if (comparison is { } fused)
                {
                    EmitFusedComparison(fused);
                }
                else
                {
                    Emit(Op.BrIfNot);
                    Put(cond);
                }
                control.ElseSite = _n;
                Put(-1);
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
                Branch((int)ins.A, -1);
                _unreachable = true;
                return;
            case Opcode.BrIf:
            {
                if (TakeComparison(negate: false) is { } comparison)
                {
                    if (!FusedBranch((int)ins.A, comparison)) Branch((int)ins.A, EmitComparison(comparison));
                }
                else
                {
                    Branch((int)ins.A, PopSlot());
                }
                StartRun();
                return;
            }
            case Opcode.BrTable:
                BrTable(ins);
                _unreachable = true;
                return;
            case Opcode.Return:
            {
                var n = _function.ResultCount;
                MaterializeTop(n);
                EmitReturn(_locals + _h - n, n);
                _unreachable = true;
                return;
            }
            case Opcode.Call:
            {
                var callee = _context.Callees[(int)ins.A];
                CallCommon(Op.Call, callee.ParamCount, callee.ResultCount, (int)ins.A, -1, -1);
                return;
            }
            case Opcode.CallIndirect:
            {
                var type = _module.Types[(int)ins.A];
                var elem = PopSlot();
                CallCommon(Op.CallIndirect, type.Parameters.Length, type.Results.Length, _context.TypeIds[(int)ins.A], (int)ins.B, elem);
                return;
            }
            case Opcode.Drop:
                Pop();
                return;
            case Opcode.Select:
            case Opcode.SelectTyped:
            {
                var cond = PopSlot();
                var b = PopSlot();
                var a = PopSlot();
                var d = PushSlot();
                Emit(Op.Select);
                PutDst(d);
                Put(a);
                Put(b);
                Put(cond);
                return;
            }
            case Opcode.LocalGet:
                Push(new Entry { Slot = (int)ins.A });
                return;
            case Opcode.LocalSet:
                LocalSet((int)ins.A, tee: false);
                return;
            case Opcode.LocalTee:
                LocalSet((int)ins.A, tee: true);
                return;
            case Opcode.GlobalGet:
            {
                var d = PushSlot();
                Emit(Op.GlobalGet);
                PutDst(d);
                Put((int)ins.A);
                return;
            }
            case Opcode.GlobalSet:
            {
                var s = PopSlot();
                Emit(Op.GlobalSet);
                Put((int)ins.A);
                Put(s);
                return;
            }
            case Opcode.TableGet:
            {
                var i = PopSlot();
                var d = PushSlot();
                Emit(Op.TableGet);
                PutDst(d);
                Put((int)ins.A);
                Put(i);
                return;
            }
            case Opcode.TableSet:
            {
                var v = PopSlot();
                var i = PopSlot();
                Emit(Op.TableSet);
                Put((int)ins.A);
                Put(i);
                Put(v);
                return;
            }
            case >= Opcode.I32Load and <= Opcode.I64Load32U:
            {
                if (LoadsWithAddend.TryGetValue(Op.I32Load + (op - Opcode.I32Load), out var withAddend) && TakeAddImmediate(out var x, out var k))
                {
                    var dst = PushSlot();
                    Emit(withAddend);
                    PutDst(dst);
                    Put(x);
                    Put((int)ins.B);
                    Put(k);
                    return;
                }
                if (LoadsWithAddendTee.TryGetValue(Op.I32Load + (op - Opcode.I32Load), out var withTee) && TakeAddImmediateTee(out x, out k, out var local))
                {
                    var dst = PushSlot();
                    Emit(withTee);
                    PutDst(dst);
                    Put(x);
                    Put((int)ins.B);
                    Put(k);
                    Put(local);
                    return;
                }
                var a = PopSlot();
                var d = PushSlot();
                Emit(Op.I32Load + (op - Opcode.I32Load));
                PutDst(d);
                Put(a);
                Put((int)ins.B);
                return;
            }
            case >= Opcode.I32Store and <= Opcode.I64Store32:
            {
                var v = PopSlot();
                var a = PopSlot();
                Emit(Op.I32Load + (op - Opcode.I32Load));
                Put(a);
                Put(v);
                Put((int)ins.B);
                return;
            }
            case Opcode.MemorySize:
            {
                var d = PushSlot();
                Emit(Op.MemorySize);
                PutDst(d);
                return;
            }
            case Opcode.MemoryGrow:
            {
                var s = PopSlot();
                var d = PushSlot();
                Emit(Op.MemoryGrow);
                PutDst(d);
                Put(s);
                return;
            }
            case Opcode.I32Const:
                Push(new Entry { Slot = -1, Constant = (uint)ins.Value });
                return;
            case Opcode.I64Const:
            case Opcode.F32Const:
            case Opcode.F64Const:
                Push(new Entry { Slot = -1, Constant = ins.Value });
                return;
            case Opcode.RefNull:
                Push(new Entry { Slot = -1, Constant = 0 });
                return;
            case Opcode.RefFunc:
                Push(new Entry { Slot = -1, Constant = (ulong)_context.Instance.Functions[(int)ins.A].Address + 1 });
                return;
            case Opcode.RefIsNull:
                Unary(Op.RefIsNull);
                return;
            case Opcode.MemoryInit:
                Operands3(Op.MemoryInit, (int)ins.A);
                return;
            case Opcode.DataDrop:
                Emit(Op.DataDrop);
                Put((int)ins.A);
                return;
            case Opcode.MemoryCopy:
                Operands3(Op.MemoryCopy, null);
                return;
            case Opcode.MemoryFill:
                Operands3(Op.MemoryFill, null);
                return;
            case Opcode.TableInit:
            {
                var n = PopSlot();
                var s = PopSlot();
                var d = PopSlot();
                Emit(Op.TableInit);
                Put((int)ins.B);
                Put((int)ins.A);
                Put(d);
                Put(s);
                Put(n);
                return;
            }
            case Opcode.ElemDrop:
                Emit(Op.ElemDrop);
                Put((int)ins.A);
                return;
            case Opcode.TableCopy:
            {
                var n = PopSlot();
                var s = PopSlot();
                var d = PopSlot();
                Emit(Op.TableCopy);
                Put((int)ins.A);
                Put((int)ins.B);
                Put(d);
                Put(s);
                Put(n);
                return;
            }
            case Opcode.TableGrow:
            {
                var n = PopSlot();
                var init = PopSlot();
                var d = PushSlot();
                Emit(Op.TableGrow);
                PutDst(d);
                Put((int)ins.A);
                Put(init);
                Put(n);
                return;
            }
            case Opcode.TableSize:
            {
                var d = PushSlot();
                Emit(Op.TableSize);
                PutDst(d);
                Put((int)ins.A);
                return;
            }
            case Opcode.TableFill:
                Operands3(Op.TableFill, (int)ins.A);
                return;
            case >= Opcode.I32TruncSatF32S and <= Opcode.I64TruncSatF64U:
                Unary(Op.I32TruncSatF32S + (op - Opcode.I32TruncSatF32S));
                return;
            case >= Opcode.I32Eqz and <= Opcode.I64Extend32S:
                if (IsUnary(op)) Unary(Op.I32Eqz + (op - Opcode.I32Eqz));
                else Binary(Op.I32Eqz + (op - Opcode.I32Eqz));
                return;
            default:
                throw new InvalidModuleException(ins.Offset, $"unsupported instruction {op}", _function.Index);
        }
    }

    private static readonly Dictionary<Op, Op> LoadsWithAddend = Enum.GetValues<Op>()
        .Where(o => o.ToString().Contains("Load", StringComparison.Ordinal) && o.ToString().EndsWith("Add", StringComparison.Ordinal))
        .ToDictionary(o => Enum.Parse<Op>(o.ToString()[..^3]), o => o);

    private static readonly Dictionary<Op, Op> LoadsWithAddendTee = Enum.GetValues<Op>()
        .Where(o => o.ToString().Contains("Load", StringComparison.Ordinal) && o.ToString().EndsWith("AddTee", StringComparison.Ordinal))
        .ToDictionary(o => Enum.Parse<Op>(o.ToString()[..^6]), o => o);

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

    /// <summary>
    /// If the top operand was produced by the operation emitted last and that adds or subtracts a constant,
    /// removes that operation and pops the operand: the consumer adds the constant itself (wrapping at 32 bits).
    /// </summary>
    private bool TakeAddImmediate(out int source, out int addend)
    {
        source = addend = 0;
        if (_h <= CurrentFloor() || _lastDstSite < 0 || _lastDstSite != _lastOpPc + 1) return false;
        var top = _locals + _h - 1;
        if (_stack[_h - 1].Slot != top || _code[_lastDstSite] != top) return false;
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

    private static bool IsUnary(Opcode op) => op switch
    {
        Opcode.I32Eqz or Opcode.I64Eqz => true,
        >= Opcode.I32Clz and <= Opcode.I32Popcnt => true,
        >= Opcode.I64Clz and <= Opcode.I64Popcnt => true,
        >= Opcode.F32Abs and <= Opcode.F32Sqrt => true,
        >= Opcode.F64Abs and <= Opcode.F64Sqrt => true,
        >= Opcode.I32WrapI64 => true,
        _ => false,
    };

    private (int Params, int Results) BlockArity(BlockType type)
    {
        if (type.IsEmpty) return (0, 0);
        if (!type.IsTypeIndex) return (0, 1);
        if (type.TypeIndex >= (uint)_module.Types.Count) throw new InvalidModuleException(_offset, "unknown type", _function.Index);
        var t = _module.Types[(int)type.TypeIndex];
        return (t.Parameters.Length, t.Results.Length);
    }

    /// <summary>An integer comparison just emitted whose only use is the branch being lowered.</summary>
    private readonly record struct Comparison(Op Source, Op Fused, int A, int B, ulong Immediate);

    private static readonly Dictionary<Op, (Op Fused, Op Negated)> FusedBranches = BuildFusedBranches();

    private static Dictionary<Op, (Op, Op)> BuildFusedBranches()
    {
        var negations = new Dictionary<string, string>
        {
            ["Eq"] = "Ne", ["Ne"] = "Eq", ["LtS"] = "GeS", ["GeS"] = "LtS", ["LtU"] = "GeU", ["GeU"] = "LtU",
            ["GtS"] = "LeS", ["LeS"] = "GtS", ["GtU"] = "LeU", ["LeU"] = "GtU", ["Eqz"] = "Nez",
        };
        var map = new Dictionary<Op, (Op, Op)>();
        foreach (var width in new[] { "I32", "I64" })
        foreach (var (test, negated) in negations)
        foreach (var suffix in new[] { "", "Imm" })
        {
            if (test == "Eqz" && suffix != "") continue;
            var source = Enum.Parse<Op>(width + test + suffix);
            map[source] = (Enum.Parse<Op>("BrIf" + width + test + suffix), Enum.Parse<Op>("BrIf" + width + negated + suffix));
        }
        return map;
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

    private static bool IsImmediateForm(Op op) => op.ToString().EndsWith("Imm", StringComparison.Ordinal);

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

    /// <summary>br_if on a taken comparison; false when the branch needs a value copy (then nothing was emitted).</summary>
    private bool FusedBranch(int label, Comparison comparison)
    {
        if (label >= _controls.Count) throw new InvalidModuleException(_offset, "unknown label", _function.Index);
        var target = _controls[_controls.Count - 1 - label];
        var arity = target.Kind == Kind.Loop ? target.Params : target.Results;
        if (arity > 0 && _h - arity != target.Height) return false;
        MaterializeTop(arity);
        EmitFusedComparison(comparison);
        PutTarget(target);
        return true;
    }

    private void Unary(Op op)
    {
        var a = PopSlot();
        var d = PushSlot();
        Emit(op);
        PutDst(d);
        Put(a);
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

    private bool IsImmediate(int index) => _stack[index].Slot < 0;

    private void Binary(Op op)
    {
        if (_h - 2 >= CurrentFloor() && ImmediateForms.TryGetValue(op, out var immediateForm))
        {
            var constIndex = IsImmediate(_h - 1) ? _h - 1
                : IsCommutative(op) && IsImmediate(_h - 2) && _stack[_h - 1].Slot >= 0 ? _h - 2
                : -1;
            if (constIndex >= 0)
            {
                var constant = _stack[constIndex].Constant;
                if (constIndex == _h - 2) _stack[_h - 2] = _stack[_h - 1];
                _h--;
                var x = PopSlot();
                var dst = PushSlot();
                Emit(immediateForm);
                PutDst(dst);
                Put(x);
                if (Is64(op)) PutConstant(constant);
                else Put((int)(uint)constant);
                return;
            }
        }
        var b = PopSlot();
        var a = PopSlot();
        var d = PushSlot();
        Emit(op);
        PutDst(d);
        Put(a);
        Put(b);
    }

    private void Operands3(Op op, int? immediate)
    {
        var n = PopSlot();
        var s = PopSlot();
        var d = PopSlot();
        Emit(op);
        if (immediate is { } i) Put(i);
        Put(d);
        Put(s);
        Put(n);
    }

    private void CallCommon(Op op, int parameters, int results, int a, int b, int elem)
    {
        MaterializeTop(parameters);
        var argStart = _locals + _h - parameters;
        Emit(op);
        Put(a);
        if (op == Op.CallIndirect)
        {
            Put(b);
            Put(elem);
        }
        Put(argStart);
        _h -= parameters;
        for (var i = 0; i < results; i++) PushSlot();
    }

    private void LocalSet(int x, bool tee)
    {
        if (x >= _locals) throw new InvalidModuleException(_offset, "unknown local", _function.Index);
        if (_h == 0) throw new InvalidModuleException(_offset, "type mismatch", _function.Index);
        var top = _stack[_h - 1];
        if (top.Slot == x)
        {
            if (!tee) _h--;
            return;
        }
        MaterializeReferencesTo(x, _h - 1);
        var topSlot = _locals + _h - 1;
        if (top.Slot == topSlot && _lastDstSite >= 0 && _code[_lastDstSite] == topSlot)
        {
            _code[_lastDstSite] = x;
        }
        else if (top.Slot < 0)
        {
            EmitConst(x, top.Constant);
        }
        else
        {
            EmitCopy(x, top.Slot);
        }
        _lastDstSite = -1;
        if (tee) _stack[_h - 1] = new Entry { Slot = x };
        else _h--;
    }

    private void MaterializeReferencesTo(int local, int below)
    {
        for (var i = 0; i < below; i++)
            if (_stack[i].Slot == local) Materialize(i);
    }

    private void Branch(int label, int cond)
    {
        if (label >= _controls.Count) throw new InvalidModuleException(_offset, "unknown label", _function.Index);
        var target = _controls[_controls.Count - 1 - label];
        var arity = target.Kind == Kind.Loop ? target.Params : target.Results;
        MaterializeTop(arity);
        var src = _locals + _h - arity;
        var dst = _locals + target.Height;
        var copy = arity > 0 && src != dst;
        if (cond < 0)
        {
            Emit(copy ? Op.BrCopy : Op.Br);
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
        var defaultTarget = _controls[_controls.Count - 1 - CheckLabel((int)ins.A)];
        var arity = defaultTarget.Kind == Kind.Loop ? defaultTarget.Params : defaultTarget.Results;
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
            var target = _controls[_controls.Count - 1 - CheckLabel(label)];
            PutTarget(target);
            Put(_locals + target.Height);
        }
    }

    private int CheckLabel(int label) =>
        label < _controls.Count ? label : throw new InvalidModuleException(_offset, "unknown label", _function.Index);

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

    // Operand stack

    private void Push(Entry e)
    {
        if (_h == _stack.Length) Array.Resize(ref _stack, _h * 2);
        _stack[_h++] = e;
        if (_h > _maxH) _maxH = _h;
    }

    private int PushSlot()
    {
        var slot = _locals + _h;
        Push(new Entry { Slot = slot });
        return slot;
    }

    private void Pop()
    {
        if (_h <= CurrentFloor()) throw new InvalidModuleException(_offset, "type mismatch", _function.Index);
        _h--;
    }

    private int CurrentFloor() => _controls.Count > 0 ? _controls[^1].Height : 0;

    private int PopSlot()
    {
        if (_h <= CurrentFloor()) throw new InvalidModuleException(_offset, "type mismatch", _function.Index);
        if (_stack[_h - 1].Slot < 0) Materialize(_h - 1);
        return _stack[--_h].Slot;
    }

    private void Materialize(int i)
    {
        var slot = _locals + i;
        var e = _stack[i];
        if (e.Slot == slot) return;
        if (e.Slot < 0) EmitConst(slot, e.Constant);
        else EmitCopy(slot, e.Slot);
        _stack[i] = new Entry { Slot = slot };
    }

    // Moves come in runs (phi copies, call arguments, constants assigned to locals): pairs share one dispatch.

    private void EmitCopy(int dst, int src)
    {
        if (_lastOpPc >= 0 && _lastOpPc + 3 == _n && (Op)_code[_lastOpPc] == Op.Copy)
        {
            _code[_lastOpPc] = (int)Op.Copy2;
        }
        else
        {
            Emit(Op.Copy);
        }
        PutDst(dst);
        Put(src);
    }

    private void EmitConst(int dst, ulong value)
    {
        if (_lastOpPc >= 0 && _lastOpPc + 4 == _n && (Op)_code[_lastOpPc] == Op.Const)
        {
            _code[_lastOpPc] = (int)Op.Const2;
        }
        else
        {
            Emit(Op.Const);
        }
        PutDst(dst);
        PutConstant(value);
    }

    private void MaterializeAll()
    {
        for (var i = 0; i < _h; i++) Materialize(i);
    }

    private void MaterializeTop(int count)
    {
        if (count > _h) throw new InvalidModuleException(_offset, "type mismatch", _function.Index);
        for (var i = _h - count; i < _h; i++) Materialize(i);
    }

    // Code emission

    private void Emit(Op op)
    {
        if (_n + 16 > _code.Length)
        {
            Array.Resize(ref _code, _code.Length * 2);
            Array.Resize(ref _offsets, _code.Length);
        }
        _offsets[_n] = _offset;
        _prevOpPc = _lastOpPc;
        _lastOpPc = _n;
        _code[_n++] = (int)op;
        _lastDstSite = -1;
    }

    private void Put(int value)
    {
        if (_n == _code.Length)
        {
            Array.Resize(ref _code, _code.Length * 2);
            Array.Resize(ref _offsets, _code.Length);
        }
        _offsets[_n] = _offset;
        _code[_n++] = value;
    }

    private void PutDst(int slot)
    {
        Put(slot);
        _lastDstSite = _n - 1;
    }

    private void PutConstant(ulong value)
    {
        Put((int)(uint)value);
        Put((int)(uint)(value >> 32));
    }
}
