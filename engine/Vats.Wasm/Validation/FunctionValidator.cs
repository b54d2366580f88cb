using System.Runtime.CompilerServices;
using Vats.Wasm.Binary;
using Vats.Wasm.Errors;
using Vats.Wasm.Model;

namespace Vats.Wasm.Validation;

/// <summary>
/// Validates function bodies with the algorithm of the spec's validation appendix: an operand stack of value
/// types (<see cref="Unknown"/> standing for the polymorphic stack after an unconditional branch) and a stack
/// of control frames. One instance is reused for all bodies of a module so its stacks are allocated once.
/// </summary>
internal sealed class FunctionValidator
{
    /// <summary>A value of any type, produced by popping from the polymorphic stack of unreachable code.</summary>
    private const ValType Unknown = 0;

    private static readonly ValType[][] SingleResults = BuildSingleResults();

    private readonly ValidationContext _context;
    private ValType[] _vals = new ValType[64];
    private int _valCount;
    private ControlFrame[] _ctrls = new ControlFrame[16];
    private int _ctrlCount;
    private int _functionIndex;

    public FunctionValidator(ValidationContext context) => _context = context;

    /// <summary>Validates the body of function <paramref name="functionIndex"/> (in the function index space).</summary>
    public void Validate(int functionIndex, FuncType type, FunctionBody body)
    {
        _functionIndex = functionIndex;
        _valCount = 0;
        _ctrlCount = 0;
        var parameters = type.Parameters;
        var locals = body.Locals;
        var localCount = (long)parameters.Length + locals.Length;
        var hasMemory = _context.MemoryCount > 0;
        var globals = _context.Globals;
        var functions = _context.Functions;

        var reader = new InstructionReader(body.Code.Span, body.CodeOffset);
        PushCtrl(Opcode.Block, [], type.Results);

        while (true)
        {
            if (reader.AtEnd) throw new MalformedModuleException(reader.Offset, "unexpected end of function body: END opcode expected");
            var ins = reader.Read();
            var at = ins.Offset;
            switch (ins.Opcode)
            {
                case >= Opcode.I32Eqz and <= Opcode.I64Extend32S:
                    Numeric(NumericSignatures.Of(ins.Opcode), at);
                    break;

                case >= Opcode.I32TruncSatF32S and <= Opcode.I64TruncSatF64U:
                    Numeric(NumericSignatures.OfSaturating(ins.Opcode), at);
                    break;

                case Opcode.LocalGet:
                    Push(Local(ins.A, parameters, locals, localCount, at));
                    break;
                case Opcode.LocalSet:
                    Pop(Local(ins.A, parameters, locals, localCount, at), at);
                    break;
                case Opcode.LocalTee:
                {
                    var t = Local(ins.A, parameters, locals, localCount, at);
                    Pop(t, at);
                    Push(t);
                    break;
                }

                case Opcode.GlobalGet:
                    if (ins.A >= (uint)globals.Length) throw Error(at, $"unknown global {ins.A}");
                    Push(globals[ins.A].ValType);
                    break;
                case Opcode.GlobalSet:
                    if (ins.A >= (uint)globals.Length) throw Error(at, $"unknown global {ins.A}");
                    if (!globals[ins.A].Mutable) throw Error(at, "global is immutable");
                    Pop(globals[ins.A].ValType, at);
                    break;

                case >= Opcode.I32Load and <= Opcode.I64Load32U:
                    if (!hasMemory) throw Error(at, "unknown memory 0");
                    CheckAlignment(ins, at);
                    Pop(ValType.I32, at);
                    Push(LoadStoreType(ins.Opcode));
                    break;
                case >= Opcode.I32Store and <= Opcode.I64Store32:
                    if (!hasMemory) throw Error(at, "unknown memory 0");
                    CheckAlignment(ins, at);
                    Pop(LoadStoreType(ins.Opcode), at);
                    Pop(ValType.I32, at);
                    break;

                case Opcode.I32Const:
                    Push(ValType.I32);
                    break;
                case Opcode.I64Const:
                    Push(ValType.I64);
                    break;
                case Opcode.F32Const:
                    Push(ValType.F32);
                    break;
                case Opcode.F64Const:
                    Push(ValType.F64);
                    break;

                case Opcode.Block:
                case Opcode.Loop:
                {
                    var (start, end) = BlockSignature(ins.BlockType, at);
                    PopVals(start, at);
                    PushCtrl(ins.Opcode, start, end);
                    break;
                }
                case Opcode.If:
                {
                    var (start, end) = BlockSignature(ins.BlockType, at);
                    Pop(ValType.I32, at);
                    PopVals(start, at);
                    PushCtrl(Opcode.If, start, end);
                    break;
                }
                case Opcode.Else:
                {
                    if (_ctrls[_ctrlCount - 1].Kind != Opcode.If) throw new MalformedModuleException(at, "else without matching if");
                    var frame = PopCtrl(at);
                    PushCtrl(Opcode.Else, frame.StartTypes, frame.EndTypes);
                    break;
                }
                case Opcode.End:
                {
                    var frame = PopCtrl(at);
                    if (frame.Kind == Opcode.If && !SameTypes(frame.StartTypes, frame.EndTypes))
                        throw Error(at, $"type mismatch: if without else must not change the stack ({Describe(frame.StartTypes)} -> {Describe(frame.EndTypes)})");
                    if (_ctrlCount == 0)
                    {
                        if (!reader.AtEnd) throw new MalformedModuleException(reader.Offset, "section size mismatch: code after the function's final end");
                        return;
                    }
                    PushVals(frame.EndTypes);
                    break;
                }

                case Opcode.Br:
                    PopVals(Label(ins.A, at).LabelTypes, at);
                    SetUnreachable();
                    break;
                case Opcode.BrIf:
                {
                    var types = Label(ins.A, at).LabelTypes;
                    Pop(ValType.I32, at);
                    PopVals(types, at);
                    PushVals(types);
                    break;
                }
                case Opcode.BrTable:
                    BrTable(ins, at);
                    break;
                case Opcode.Return:
                    PopVals(_ctrls[0].EndTypes, at);
                    SetUnreachable();
                    break;
                case Opcode.Unreachable:
                    SetUnreachable();
                    break;
                case Opcode.Nop:
                    break;

                case Opcode.Call:
                {
                    if (ins.A >= (uint)functions.Length) throw Error(at, $"unknown function {ins.A}");
                    var callee = functions[ins.A]!;
                    PopVals(callee.Parameters, at);
                    PushVals(callee.Results);
                    break;
                }
                case Opcode.CallIndirect:
                {
                    var table = Table(ins.B, at);
                    if (table.ElementType != ValType.FuncRef) throw Error(at, $"type mismatch: call_indirect requires a funcref table, table {ins.B} holds {table.ElementType.Name()}");
                    if (ins.A >= (uint)_context.Types.Count) throw Error(at, $"unknown type {ins.A}");
                    var callee = _context.Types[(int)ins.A];
                    Pop(ValType.I32, at);
                    PopVals(callee.Parameters, at);
                    PushVals(callee.Results);
                    break;
                }

                case Opcode.Drop:
                    PopAny(at);
                    break;
                case Opcode.Select:
                {
                    Pop(ValType.I32, at);
                    var t1 = PopAny(at);
                    var t2 = PopAny(at);
                    if (t1.IsReference() || t2.IsReference())
                        throw Error(at, "type mismatch: select without a type annotation requires numeric operands");
                    if (t1 != t2 && t1 != Unknown && t2 != Unknown)
                        throw Error(at, $"type mismatch: select operands differ ({t2.Name()} and {t1.Name()})");
                    Push(t1 == Unknown ? t2 : t1);
                    break;
                }
                case Opcode.SelectTyped:
                {
                    if (ins.A != 1) throw Error(at, "invalid result arity");
                    var t = (ValType)(byte)ins.Value;
                    Pop(ValType.I32, at);
                    Pop(t, at);
                    Pop(t, at);
                    Push(t);
                    break;
                }

                case Opcode.MemorySize:
                    if (!hasMemory) throw Error(at, "unknown memory 0");
                    Push(ValType.I32);
                    break;
                case Opcode.MemoryGrow:
                    if (!hasMemory) throw Error(at, "unknown memory 0");
                    Pop(ValType.I32, at);
                    Push(ValType.I32);
                    break;
                case Opcode.MemoryInit:
                    if (!hasMemory) throw Error(at, "unknown memory 0");
                    DataSegment(ins.A, at);
                    PopThreeI32(at);
                    break;
                case Opcode.DataDrop:
                    DataSegment(ins.A, at);
                    break;
                case Opcode.MemoryCopy:
                case Opcode.MemoryFill:
                    if (!hasMemory) throw Error(at, "unknown memory 0");
                    PopThreeI32(at);
                    break;

                case Opcode.TableGet:
                {
                    var table = Table(ins.A, at);
                    Pop(ValType.I32, at);
                    Push(table.ElementType);
                    break;
                }
                case Opcode.TableSet:
                {
                    var table = Table(ins.A, at);
                    Pop(table.ElementType, at);
                    Pop(ValType.I32, at);
                    break;
                }
                case Opcode.TableSize:
                    Table(ins.A, at);
                    Push(ValType.I32);
                    break;
                case Opcode.TableGrow:
                {
                    var table = Table(ins.A, at);
                    Pop(ValType.I32, at);
                    Pop(table.ElementType, at);
                    Push(ValType.I32);
                    break;
                }
                case Opcode.TableFill:
                {
                    var table = Table(ins.A, at);
                    Pop(ValType.I32, at);
                    Pop(table.ElementType, at);
                    Pop(ValType.I32, at);
                    break;
                }
                case Opcode.TableCopy:
                {
                    var destination = Table(ins.A, at);
                    var source = Table(ins.B, at);
                    if (destination.ElementType != source.ElementType)
                        throw Error(at, $"type mismatch: table.copy from {source.ElementType.Name()} table {ins.B} to {destination.ElementType.Name()} table {ins.A}");
                    PopThreeI32(at);
                    break;
                }
                case Opcode.TableInit:
                {
                    var table = Table(ins.B, at);
                    var segmentType = ElementSegmentType(ins.A, at);
                    if (table.ElementType != segmentType)
                        throw Error(at, $"type mismatch: table.init of {segmentType.Name()} segment {ins.A} into {table.ElementType.Name()} table {ins.B}");
                    PopThreeI32(at);
                    break;
                }
                case Opcode.ElemDrop:
                    ElementSegmentType(ins.A, at);
                    break;

                case Opcode.RefNull:
                    Push((ValType)(byte)ins.Value);
                    break;
                case Opcode.RefIsNull:
                {
                    var t = PopAny(at);
                    if (t != Unknown && !t.IsReference()) throw Error(at, $"type mismatch: ref.is_null requires a reference, found {t.Name()}");
                    Push(ValType.I32);
                    break;
                }
                case Opcode.RefFunc:
                    if (ins.A >= (uint)functions.Length) throw Error(at, $"unknown function {ins.A}");
                    if (!_context.Refs[ins.A]) throw Error(at, $"undeclared function reference {ins.A}");
                    Push(ValType.FuncRef);
                    break;

                default:
                    throw new MalformedModuleException(at, "illegal opcode");
            }
        }
    }

    private void Numeric(int signature, int at)
    {
        var second = (ValType)(byte)(signature >> 8);
        if (second != 0) Pop(second, at);
        Pop((ValType)(byte)signature, at);
        Push((ValType)(byte)(signature >> 16));
    }

    private ValType Local(uint index, ValType[] parameters, ValType[] locals, long count, int at)
    {
        if (index >= count) throw Error(at, $"unknown local {index}");
        return index < (uint)parameters.Length ? parameters[index] : locals[index - (uint)parameters.Length];
    }

    private TableType Table(uint index, int at)
    {
        var tables = _context.Tables;
        if (index >= (uint)tables.Length) throw Error(at, $"unknown table {index}");
        return tables[index];
    }

    private ValType ElementSegmentType(uint index, int at)
    {
        var elements = _context.Module.Elements;
        if (index >= (uint)elements.Count) throw Error(at, $"unknown elem segment {index}");
        return elements[(int)index].ElementType;
    }

    private void DataSegment(uint index, int at)
    {
        var module = _context.Module;
        if (index >= (uint)module.Datas.Count) throw Error(at, $"unknown data segment {index}");
        // A binary-format rule (a single-pass compiler must know the segment count before the code section),
        // checked after the index so that a module without any data segment gets the more telling reason.
        if (module.DataCount is null) throw new MalformedModuleException(at, "data count section required");
    }

    private void CheckAlignment(in Instruction ins, int at)
    {
        if (ins.A > NaturalAlignment(ins.Opcode)) throw Error(at, "alignment must not be larger than natural");
    }

    private static uint NaturalAlignment(Opcode opcode) => opcode switch
    {
        Opcode.I32Load8S or Opcode.I32Load8U or Opcode.I64Load8S or Opcode.I64Load8U
            or Opcode.I32Store8 or Opcode.I64Store8 => 0,
        Opcode.I32Load16S or Opcode.I32Load16U or Opcode.I64Load16S or Opcode.I64Load16U
            or Opcode.I32Store16 or Opcode.I64Store16 => 1,
        Opcode.I32Load or Opcode.F32Load or Opcode.I64Load32S or Opcode.I64Load32U
            or Opcode.I32Store or Opcode.F32Store or Opcode.I64Store32 => 2,
        _ => 3,
    };

    private static ValType LoadStoreType(Opcode opcode) => opcode switch
    {
        Opcode.I32Load or Opcode.I32Load8S or Opcode.I32Load8U or Opcode.I32Load16S or Opcode.I32Load16U
            or Opcode.I32Store or Opcode.I32Store8 or Opcode.I32Store16 => ValType.I32,
        Opcode.F32Load or Opcode.F32Store => ValType.F32,
        Opcode.F64Load or Opcode.F64Store => ValType.F64,
        _ => ValType.I64,
    };

    private (ValType[] Start, ValType[] End) BlockSignature(BlockType blockType, int at)
    {
        if (blockType.IsEmpty) return ([], []);
        if (!blockType.IsTypeIndex) return ([], SingleResults[(byte)blockType.ValType]);
        if (blockType.TypeIndex >= (uint)_context.Types.Count) throw Error(at, $"unknown type {blockType.TypeIndex}");
        var type = _context.Types[(int)blockType.TypeIndex];
        return (type.Parameters, type.Results);
    }

    private ref ControlFrame Label(uint depth, int at)
    {
        if (depth >= (uint)_ctrlCount) throw Error(at, $"unknown label {depth}");
        return ref _ctrls[_ctrlCount - 1 - (int)depth];
    }

    private void BrTable(in Instruction ins, int at)
    {
        Pop(ValType.I32, at);
        var defaultTypes = Label(ins.A, at).LabelTypes;
        var arity = defaultTypes.Length;
        foreach (var target in ins.Targets!)
        {
            var types = Label(target, at).LabelTypes;
            if (types.Length != arity)
                throw Error(at, $"type mismatch: br_table targets have different arities ({Describe(types)} and {Describe(defaultTypes)})");
            CheckVals(types, at);
        }
        PopVals(defaultTypes, at);
        SetUnreachable();
    }

    /// <summary>Checks the top of the stack against <paramref name="types"/> without popping (br_table targets).</summary>
    private void CheckVals(ValType[] types, int at)
    {
        ref var frame = ref _ctrls[_ctrlCount - 1];
        for (var i = 0; i < types.Length; i++)
        {
            var position = _valCount - types.Length + i;
            if (position < frame.Height)
            {
                if (frame.Unreachable) continue;
                throw Mismatch(types[i], null, at);
            }
            var actual = _vals[position];
            if (actual != types[i] && actual != Unknown) throw Mismatch(types[i], actual, at);
        }
    }

    private static bool SameTypes(ValType[] a, ValType[] b) => a == b || a.AsSpan().SequenceEqual(b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Push(ValType type)
    {
        if (_valCount == _vals.Length) Array.Resize(ref _vals, _vals.Length * 2);
        _vals[_valCount++] = type;
    }

    private void PushVals(ValType[] types)
    {
        foreach (var t in types) Push(t);
    }

    private ValType PopAny(int at)
    {
        ref var frame = ref _ctrls[_ctrlCount - 1];
        if (_valCount == frame.Height)
        {
            if (frame.Unreachable) return Unknown;
            throw Error(at, "type mismatch: expected a value but the stack is empty");
        }
        return _vals[--_valCount];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Pop(ValType expected, int at)
    {
        ref var frame = ref _ctrls[_ctrlCount - 1];
        if (_valCount == frame.Height)
        {
            if (frame.Unreachable) return;
            throw Mismatch(expected, null, at);
        }
        var actual = _vals[--_valCount];
        if (actual != expected && actual != Unknown) throw Mismatch(expected, actual, at);
    }

    private void PopVals(ValType[] types, int at)
    {
        for (var i = types.Length - 1; i >= 0; i--) Pop(types[i], at);
    }

    private void PopThreeI32(int at)
    {
        Pop(ValType.I32, at);
        Pop(ValType.I32, at);
        Pop(ValType.I32, at);
    }

    private void PushCtrl(Opcode kind, ValType[] start, ValType[] end)
    {
        if (_ctrlCount == _ctrls.Length) Array.Resize(ref _ctrls, _ctrls.Length * 2);
        _ctrls[_ctrlCount++] = new ControlFrame { Kind = kind, StartTypes = start, EndTypes = end, Height = _valCount };
        PushVals(start);
    }

    private ControlFrame PopCtrl(int at)
    {
        var frame = _ctrls[_ctrlCount - 1];
        PopVals(frame.EndTypes, at);
        if (_valCount != frame.Height)
            throw Error(at, $"type mismatch: block leaves {_valCount - frame.Height} extra value(s) on the stack, expected {Describe(frame.EndTypes)}");
        _ctrlCount--;
        return frame;
    }

    private void SetUnreachable()
    {
        ref var frame = ref _ctrls[_ctrlCount - 1];
        _valCount = frame.Height;
        frame.Unreachable = true;
    }

    private InvalidModuleException Mismatch(ValType expected, ValType? actual, int at) =>
        Error(at, actual is null
            ? $"type mismatch: expected {expected.Name()} but the stack is empty"
            : $"type mismatch: expected {expected.Name()} but found {actual.Value.Name()}");

    private InvalidModuleException Error(int at, string reason) => new(at, reason, _functionIndex);

    private static string Describe(ValType[] types) => "[" + string.Join(" ", types.Select(t => t.Name())) + "]";

    private static ValType[][] BuildSingleResults()
    {
        var table = new ValType[256][];
        for (var b = 0; b < 256; b++) table[b] = [(ValType)b];
        return table;
    }
}
