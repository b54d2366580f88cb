using System.Reflection.Emit;
using Vats.Wasm.Binary;
using Vats.Wasm.Errors;
using Vats.Wasm.Model;

namespace Vats.Wasm.Compiler;

/// <summary>
/// Translates one wasm function to IL (recorded, see <see cref="IlRecorder"/>). The wasm operand stack maps to
/// the IL evaluation stack; i32 is an IL int32, i64 an int64, floats travel as their bits (int32 / int64, so NaN
/// payloads never meet a float conversion) and references as int64. The IL stack is empty at every branch and
/// label: values live across a branch are first stored in "slot" locals, one per (height, width), and loaded again
/// where needed. Fuel follows the interpreter exactly: the same straight-line runs (function entry, loop header,
/// after br_if, if's arms, a block end that is branched to or follows dead code) with the same costs, charged when
/// a run starts, trapping before a run that does not fit. Traps branch to per-site stubs at the end of the method
/// that store the site's kind and byte offset and jump to one shared throw.
/// </summary>
internal sealed partial class FunctionCompiler
{
    private readonly ModuleCompiler _module;
    private readonly int _index;
    private readonly int _defined;
    private readonly FuncType _type;
    private readonly FunctionBody _body;
    private readonly IlRecorder _il = new();

    private readonly int _paramCount;
    private readonly int _localCount;
    private readonly ValType[] _localTypes;
    private readonly int[] _localIds;

    // IL argument positions after the wasm parameters.
    private readonly int _argCtx;
    private readonly int _argDepth;
    private readonly int _argSlots;

    private readonly int _fuel;
    private readonly int _state;
    private readonly int _trapAt;
    private readonly int _trapKind;
    private int _mem = -1;
    private int _memLimit = -1;
    private int _memBlock = -1;

    private readonly List<ValType> _stack = [];
    private int _ilCount;
    private int _maxHeight;
    private readonly Dictionary<(int Height, bool Wide), int> _slots = new();
    private readonly Dictionary<Type, int> _temps = new();
    private readonly Dictionary<Type, int> _temps2 = new();

    private readonly List<Control> _controls = [];
    private bool _unreachable;
    private int _offset;

    private readonly List<long> _runCosts = [];
    private int _run = -1;

    private readonly List<(int Label, TrapKind Kind, int Offset, int Extra)> _stubs = [];
    private readonly int _sharedTrap;
    private int _selectCond = -1;
    private bool _usesMemory;
    private bool _makesCalls;

    public FunctionCompiler(ModuleCompiler module, int definedIndex)
    {
        _module = module;
        var m = module.Module;
        _defined = definedIndex;
        _index = m.ImportedFunctionCount + definedIndex;
        _type = m.Types[(int)m.FunctionTypeIndices[definedIndex]];
        _body = m.Codes[definedIndex];
        _paramCount = _type.Parameters.Length;
        _localCount = _paramCount + _body.Locals.Length;
        _localTypes = [.. _type.Parameters, .. _body.Locals];
        _argCtx = _paramCount;
        _argDepth = _paramCount + 1;
        _argSlots = _paramCount + 2;
        _localIds = new int[_localCount];
        for (var i = _paramCount; i < _localCount; i++) _localIds[i] = _il.DeclareLocal(IlType(_localTypes[i]));
        _fuel = _il.DeclareLocal(typeof(long));
        _state = _il.DeclareLocal(typeof(nint));
        _trapAt = _il.DeclareLocal(typeof(int));
        _trapKind = _il.DeclareLocal(typeof(int));
        _sharedTrap = _il.DefineLabel();
    }

    public IlRecorder Il => _il;

    public IReadOnlyList<long> RunCosts => _runCosts;

    /// <summary>Slots a frame of this function takes in the interpreter: locals, highest operand stack, one spare.</summary>
    public int FrameSize => _localCount + _maxHeight + 1;

    /// <summary>True when the function calls anything (then it may check the stack before running).</summary>
    public bool MakesCalls => _makesCalls;

    public static Type IlType(ValType type) => type is ValType.I32 or ValType.F32 ? typeof(int) : typeof(long);

    private static bool Wide(ValType type) => IlType(type) == typeof(long);

    public void Compile()
    {
        var reader = new InstructionReader(_body.Code.Span, _body.CodeOffset);
        _offset = _body.CodeOffset;
        var fn = new Control(ControlKind.Function, 0, [], _type.Results, _il.DefineLabel());
        _controls.Add(fn);
        InitValues();
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
            Translate(in ins);
            if (_controls.Count == 0) goto done;
        }
        throw new InvalidModuleException(_offset, "unexpected end of function body", _index);
    done:
        CloseRun();
        EmitSlowChecks();
        EmitStubs();
    }

    /// <summary>
    /// A generous upper bound of this function's .NET frame in bytes, for <see cref="CallGraph.StackChecks"/>: every
    /// IL local and argument in its own 16 bytes, saved registers and return address, and a byte per IL instruction
    /// for temporaries the JIT may add (unoptimized code of large methods gives each its own slot).
    /// </summary>
    public int FrameEstimate => 256 + 16 * (_il.LocalCount + _paramCount + 3) + _il.Count;

    /// <summary>Emits the prologue, after <see cref="Compile"/>: <paramref name="checkStack"/> from <see cref="CallGraph.StackChecks"/>.</summary>
    public void Finish(bool checkStack)
    {
        EmitPrologue(checkStack && _makesCalls);
        EmitStackSwitch();
    }

    private void EmitPrologue(bool checkStack)
    {
        _il.BeginPrologue();
        _il.Ldarg(_argCtx);
        _il.Ldfld(Members.InstanceStateBlock);
        _il.Stloc(_state);
        if (checkStack) EmitStackCheck();
        _il.Ldloc(_state);
        _il.Emit(OpCodes.Ldind_I8);
        _il.Stloc(_fuel);
        LoadGlobalLocals();
        if (_usesMemory)
        {
            _il.Ldarg(_argCtx);
            _il.Ldfld(Members.InstanceMemoryBlock);
            _il.Stloc(_memBlock);
            ReloadMemory();
        }
        _il.EndPrologue();
    }

    // ----- operand stack -----

    private int Height => _stack.Count;

    /// <summary>Records that IL just pushed a value of <paramref name="type"/>.</summary>
    private void Push(ValType type)
    {
        _stack.Add(type);
        _origins.Add(-1);
        _ilCount++;
        if (_stack.Count > _maxHeight) _maxHeight = _stack.Count;
    }

    /// <summary>Pushes an entry that lives in its slot local (block results, parameters of a branch target).</summary>
    private void PushSlot(ValType type)
    {
        if (_ilCount > 0) throw new InvalidOperationException("slot entry above IL entries");
        _stack.Add(type);
        _origins.Add(-1);
        if (_stack.Count > _maxHeight) _maxHeight = _stack.Count;
    }

    /// <summary>Drops the top <paramref name="n"/> entries, which must be on the IL stack (their IL was consumed).</summary>
    private void Consumed(int n)
    {
        if (n > _ilCount) throw new InvalidOperationException("consumed entries that are not on the IL stack");
        _stack.RemoveRange(_stack.Count - n, n);
        _origins.RemoveRange(_origins.Count - n, n);
        _ilCount -= n;
    }

    private ValType Top(int fromTop = 0) => _stack[^(1 + fromTop)];

    private int Slot(int height, ValType type)
    {
        var key = (height, Wide(type));
        if (!_slots.TryGetValue(key, out var local))
        {
            local = _il.DeclareLocal(IlType(type));
            _slots.Add(key, local);
        }
        return local;
    }

    /// <summary>A scratch local of <paramref name="type"/> (two per type, for operations that hold two values).</summary>
    private int Temp(Type type, bool second = false)
    {
        var temps = second ? _temps2 : _temps;
        if (!temps.TryGetValue(type, out var local))
        {
            local = _il.DeclareLocal(type);
            temps.Add(type, local);
        }
        return local;
    }

    /// <summary>Makes the top <paramref name="n"/> entries be on the IL stack, in order.</summary>
    private void Operands(int n)
    {
        if (n > Height) throw new InvalidModuleException(_offset, "type mismatch", _index);
        if (n <= _ilCount) return;
        SpillAll();
        Reload(n);
    }

    /// <summary>Stores every entry on the IL stack into its slot; returns how many it stored.</summary>
    private int SpillAll()
    {
        var n = _ilCount;
        for (var i = Height - 1; i >= Height - n; i--) _il.Stloc(Slot(i, _stack[i]));
        _ilCount = 0;
        return n;
    }

    /// <summary>Loads the top <paramref name="n"/> entries (all in slots) back onto the IL stack.</summary>
    private void Reload(int n)
    {
        if (_ilCount != 0) throw new InvalidOperationException("reload above IL entries");
        for (var i = Height - n; i < Height; i++) _il.Ldloc(Slot(i, _stack[i]));
        _ilCount = n;
    }

    /// <summary>Pops the top entry into a scratch local and returns it.</summary>
    private int PopToTemp(bool second = false)
    {
        Operands(1);
        var local = Temp(IlType(Top()), second);
        _il.Stloc(local);
        Consumed(1);
        return local;
    }

    // ----- traps -----

    /// <summary>A branch target that raises <paramref name="kind"/> at the current instruction.</summary>
    private int TrapLabel(TrapKind kind, int extra = 0) => TrapLabel(kind, _offset, extra);

    private int TrapLabel(TrapKind kind, int offset, int extra)
    {
        var label = _il.DefineLabel();
        _stubs.Add((label, kind, offset, extra));
        return label;
    }

    private void EmitStubs()
    {
        if (_stubs.Count == 0) return;
        foreach (var (label, kind, offset, extra) in _stubs)
        {
            if (kind == TrapKind.OutOfFuel) _il.BeginFuelGuard(extra);
            _il.Mark(label);
            if (kind == TrapKind.OutOfFuel)
            {
                // The run that did not fit was not charged.
                _il.Ldloc(_fuel);
                _il.FuelCost(extra);
                _il.Emit(OpCodes.Add);
                _il.Stloc(_fuel);
            }
            if (extra == TruncationKind)
            {
                // The kind local holds the truncation check's result (1 NaN, 2 out of range).
                _il.Ldloc(_trapKind);
                _il.Call(Members.TruncationTrapKind);
                _il.Stloc(_trapKind);
            }
            else if (extra == IndirectKind)
            {
                // The resolved call target is a sentinel carrying the trap kind + 1.
                _il.Ldloc(_target);
                _il.Ldfld(Members.TargetTrap);
                _il.LdcI4(1);
                _il.Emit(OpCodes.Sub);
                _il.Stloc(_trapKind);
            }
            else
            {
                _il.LdcI4((int)kind);
                _il.Stloc(_trapKind);
            }
            _il.LdcI4(offset);
            _il.Stloc(_trapAt);
            _il.Branch(OpCodes.Br, _sharedTrap);
            if (kind == TrapKind.OutOfFuel) _il.EndFuelGuard();
        }
        _il.Mark(_sharedTrap);
        _il.Ldloc(_state);
        _il.Ldloc(_fuel);
        _il.Emit(OpCodes.Stind_I8);
        _il.Ldloc(_trapKind);
        _il.LdcI4(_index);
        _il.Ldloc(_trapAt);
        _il.Call(Members.MakeTrap);
        _il.Emit(OpCodes.Throw);
    }

    // ----- fuel -----

    private const int TruncationKind = -1;
    private const int IndirectKind = -2;

    private void StartRun()
    {
        CloseRun();
        _runCosts.Add(0);
        _run = _runCosts.Count - 1;
        var stub = TrapLabel(TrapKind.OutOfFuel, _offset, _run);
        // fuel -= cost; if (fuel < 0) trap (the stub adds the cost back).
        _il.BeginFuelGuard(_run);
        _il.Ldloc(_fuel);
        _il.FuelCost(_run);
        _il.Emit(OpCodes.Sub);
        _il.Stloc(_fuel);
        _il.Ldloc(_fuel);
        _il.LdcI8(0);
        _il.Branch(OpCodes.Blt, stub);
        _il.EndFuelGuard();
    }

    private void CloseRun() { }

    private void Count() => _runCosts[_run]++;

    private void SyncFuelOut()
    {
        _il.Ldloc(_state);
        _il.Ldloc(_fuel);
        _il.Emit(OpCodes.Stind_I8);
    }

    private void SyncFuelIn()
    {
        _il.Ldloc(_state);
        _il.Emit(OpCodes.Ldind_I8);
        _il.Stloc(_fuel);
    }

    private void EnsureMemoryLocals()
    {
        if (_usesMemory) return;
        _usesMemory = true;
        _mem = _il.DeclareLocal(typeof(nint));
        _memLimit = _il.DeclareLocal(typeof(nint));
        _memBlock = _il.DeclareLocal(typeof(nint));
    }

    private void ReloadMemory()
    {
        if (!_usesMemory) return;
        _il.Ldloc(_memBlock);
        _il.Emit(OpCodes.Ldind_I);
        _il.Stloc(_mem);
        _il.Ldloc(_memBlock);
        _il.LdcI4(Runtime.Memory.BlockLimitOffset);
        _il.Emit(OpCodes.Add);
        _il.Emit(OpCodes.Ldind_I);
        _il.Stloc(_memLimit);
    }
}