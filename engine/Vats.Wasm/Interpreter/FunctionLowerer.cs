using Vats.Wasm.Binary;
using Vats.Wasm.Errors;
using Vats.Wasm.Model;

namespace Vats.Wasm.Interpreter;

/// <summary>
/// Lowers one function body to the interpreter's operation array. Stack heights are static in valid wasm, so
/// every operand gets a fixed frame slot (locals first, then operand i at LocalCount + i) and operations name
/// their slots directly. Operands that are plain local reads stay references to the local until something
/// forces them into their own slot (a write to that local, a block boundary, a call), which removes most
/// local.get copies. Frequent sequences become one operation (see FunctionLowerer.Fusion.cs): a binary
/// operation with a constant right operand, an integer comparison feeding br_if, if or i32.eqz, a constant
/// added to a load's or store's address, a shifted value added to another, an opcode byte loaded and fed
/// (minus a constant) to br_table, pairs of moves, and a move or add followed by br. Fusion only ever looks
/// at the operation emitted last, so no branch target can fall between the fused parts.
/// Fuel is charged per straight-line run (see <see cref="Interpreter"/>): every run starts with a Fuel
/// operation, which branches and calls charge themselves and skip.
/// </summary>
internal sealed partial class FunctionLowerer
{
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
            case Opcode.TableGet or Opcode.TableSet or Opcode.TableInit or Opcode.ElemDrop or Opcode.TableCopy
                or Opcode.TableGrow or Opcode.TableSize or Opcode.TableFill:
                LowerTable(in ins);
                return;
            case >= Opcode.I32Load and <= Opcode.MemoryGrow:
            case Opcode.MemoryInit or Opcode.DataDrop or Opcode.MemoryCopy or Opcode.MemoryFill:
                LowerMemory(in ins);
                return;
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
}
