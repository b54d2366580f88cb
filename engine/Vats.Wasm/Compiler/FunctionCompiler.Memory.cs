using System.Reflection.Emit;
using Vats.Wasm.Binary;
using Vats.Wasm.Errors;
using Vats.Wasm.Model;

namespace Vats.Wasm.Compiler;

/// <summary>Loads, stores, memory size/grow, bulk memory, tables and globals.</summary>
internal sealed partial class FunctionCompiler
{
    private int _address = -1;

    private void TranslateMemory(in Instruction ins)
    {
        var op = ins.Opcode;
        EnsureMemoryLocals();
        switch (op)
        {
            case >= Opcode.I32Load and <= Opcode.I64Load32U:
                Load(op, ins.B);
                return;
            case >= Opcode.I32Store and <= Opcode.I64Store32:
                Store(op, ins.B);
                return;
            case Opcode.MemorySize:
                _il.Ldloc(_memLimit);
                _il.LdcI4(Guard);
                _il.Emit(OpCodes.Conv_I);
                _il.Emit(OpCodes.Add);
                _il.LdcI4(16);
                _il.Emit(OpCodes.Shr_Un);
                _il.Emit(OpCodes.Conv_I4);
                Push(ValType.I32);
                return;
            case Opcode.MemoryGrow:
                Operands(1);
                _il.Ldarg(_argCtx);
                _il.Call(Members.MemoryGrow);
                Consumed(1);
                Push(ValType.I32);
                ReloadMemory();
                return;
            case Opcode.MemoryInit:
                Operands(3);
                SyncFuelOut();
                _il.Ldarg(_argCtx);
                _il.LdcI4((int)ins.A);
                Site();
                _il.Call(Members.MemoryInit);
                Consumed(3);
                return;
            case Opcode.DataDrop:
                _il.Ldarg(_argCtx);
                _il.LdcI4((int)ins.A);
                _il.Call(Members.DataDrop);
                return;
            case Opcode.MemoryCopy:
                Operands(3);
                SyncFuelOut();
                _il.Ldarg(_argCtx);
                Site();
                _il.Call(Members.MemoryCopy);
                Consumed(3);
                return;
            case Opcode.MemoryFill:
                Operands(3);
                SyncFuelOut();
                _il.Ldarg(_argCtx);
                Site();
                _il.Call(Members.MemoryFill);
                Consumed(3);
                return;
            default:
                throw new InvalidModuleException(ins.Offset, $"unsupported instruction {op}", _index);
        }
    }

    /// <summary>Function index and byte offset, the last arguments of helpers that may trap.</summary>
    private void Site()
    {
        _il.LdcI4(_index);
        _il.LdcI4(_offset);
    }

    private static int AccessSize(Opcode op) => op switch
    {
        Opcode.I32Load or Opcode.F32Load or Opcode.I64Load32S or Opcode.I64Load32U or Opcode.I32Store or Opcode.F32Store or Opcode.I64Store32 => 4,
        Opcode.I64Load or Opcode.F64Load or Opcode.I64Store or Opcode.F64Store => 8,
        Opcode.I32Load16S or Opcode.I32Load16U or Opcode.I64Load16S or Opcode.I64Load16U or Opcode.I32Store16 or Opcode.I64Store16 => 2,
        _ => 1,
    };

    /// <summary>
    /// Accesses whose offset + size is at most this are checked against <c>length - Guard</c> (the limit local) with a
    /// single compare of the bare address; only addresses above it (the last <see cref="Guard"/> bytes of memory,
    /// or any address of a memory smaller than that) take the exact check, in a stub at the end of the method.
    /// </summary>
    private const int Guard = Runtime.Memory.BoundsGuard;

    private readonly List<(int Slow, int Back, long Extent, int Trap, int Source)> _slowChecks = [];

    /// <summary><see cref="AddressAndCheck"/>'s result when the address, as a native int, is on the IL stack.</summary>
    private const int AddressOnStack = -2;

    /// <summary><see cref="AddressAndCheck"/>'s result when the address, as a native int, is in the scratch local.</summary>
    private const int AddressInScratch = -1;

    /// <summary>
    /// Pops the address and checks address + offset + size against the memory length, trapping at this instruction;
    /// entries below stay where they were. Returns where the address is now: a wasm local that holds it (the common
    /// <c>local.get</c> address is read from its local again rather than copied into a scratch local that lives across
    /// the check), the scratch local, or the IL stack when no check was needed (nothing branches then).
    /// </summary>
    private int AddressAndCheck(uint offset, int size)
    {
        var extent = (long)offset + size;
        Operands(1);
        if (AddressChecked(extent))
        {
            _il.Emit(OpCodes.Conv_U);
            Consumed(1);
            return AddressOnStack;
        }
        NoteAddressChecked(extent);
        var source = HoldingLocal();
        if (source >= 0)
        {
            _il.Emit(OpCodes.Pop);
        }
        else
        {
            if (_address < 0) _address = _il.DeclareLocal(typeof(nint));
            _il.Emit(OpCodes.Conv_U);
            _il.Stloc(_address);
            source = AddressInScratch;
        }
        Consumed(1);
        var spilled = SpillAll();
        var trap = TrapLabel(TrapKind.MemoryOutOfBounds);
        if (extent <= Guard)
        {
            // address <= length - Guard implies address + extent <= length; otherwise the stub decides exactly.
            var slow = _il.DefineLabel();
            var back = _il.DefineLabel();
            LoadAddress(source);
            _il.Ldloc(_memLimit);
            _il.Branch(OpCodes.Bgt, slow);
            _il.Mark(back);
            _slowChecks.Add((slow, back, extent, trap, source));
        }
        else
        {
            EmitExactCheck(source, extent, trap);
        }
        Reload(spilled);
        return source;
    }

    /// <summary>Loads the address as a native int from a wasm local (zero-extended) or the scratch local.</summary>
    private void LoadAddress(int source)
    {
        if (source >= 0)
        {
            LoadLocal(source);
            _il.Emit(OpCodes.Conv_U);
        }
        else
        {
            _il.Ldloc(_address);
        }
    }

    /// <summary>The exact checks of addresses above the limit: trap, or go back and access.</summary>
    private void EmitSlowChecks()
    {
        foreach (var (slow, back, extent, trap, source) in _slowChecks)
        {
            _il.Mark(slow);
            EmitExactCheck(source, extent, trap);
            _il.Branch(OpCodes.Br, back);
        }
    }

    /// <summary>Branches to <paramref name="trap"/> when address + extent > length, computed as address + (extent - Guard) > limit (signed: the limit may be negative).</summary>
    private void EmitExactCheck(int source, long extent, int trap)
    {
        LoadAddress(source);
        _il.LdcI8(extent - Guard);
        _il.Emit(OpCodes.Conv_I);
        _il.Emit(OpCodes.Add);
        _il.Ldloc(_memLimit);
        _il.Branch(OpCodes.Bgt, trap);
    }

    private void EffectiveAddress(uint offset, int source)
    {
        if (source != AddressOnStack) LoadAddress(source);
        _il.Ldloc(_mem);
        _il.Emit(OpCodes.Add);
        if (offset != 0)
        {
            _il.LdcI8(offset);
            _il.Emit(OpCodes.Conv_I);
            _il.Emit(OpCodes.Add);
        }
    }

    private void Load(Opcode op, uint offset)
    {
        var source = AddressAndCheck(offset, AccessSize(op));
        EffectiveAddress(offset, source);
        switch (op)
        {
            case Opcode.I32Load: _il.Emit(OpCodes.Ldind_I4); Push(ValType.I32); break;
            case Opcode.F32Load: _il.Emit(OpCodes.Ldind_I4); Push(ValType.F32); break;
            case Opcode.I64Load: _il.Emit(OpCodes.Ldind_I8); Push(ValType.I64); break;
            case Opcode.F64Load: _il.Emit(OpCodes.Ldind_I8); Push(ValType.F64); break;
            case Opcode.I32Load8S: _il.Emit(OpCodes.Ldind_I1); Push(ValType.I32); break;
            case Opcode.I32Load8U: _il.Emit(OpCodes.Ldind_U1); Push(ValType.I32); break;
            case Opcode.I32Load16S: _il.Emit(OpCodes.Ldind_I2); Push(ValType.I32); break;
            case Opcode.I32Load16U: _il.Emit(OpCodes.Ldind_U2); Push(ValType.I32); break;
            case Opcode.I64Load8S: _il.Emit(OpCodes.Ldind_I1); _il.Emit(OpCodes.Conv_I8); Push(ValType.I64); break;
            case Opcode.I64Load8U: _il.Emit(OpCodes.Ldind_U1); _il.Emit(OpCodes.Conv_U8); Push(ValType.I64); break;
            case Opcode.I64Load16S: _il.Emit(OpCodes.Ldind_I2); _il.Emit(OpCodes.Conv_I8); Push(ValType.I64); break;
            case Opcode.I64Load16U: _il.Emit(OpCodes.Ldind_U2); _il.Emit(OpCodes.Conv_U8); Push(ValType.I64); break;
            case Opcode.I64Load32S: _il.Emit(OpCodes.Ldind_I4); _il.Emit(OpCodes.Conv_I8); Push(ValType.I64); break;
            default: _il.Emit(OpCodes.Ldind_I4); _il.Emit(OpCodes.Conv_U8); Push(ValType.I64); break;
        }
    }

    private void Store(Opcode op, uint offset)
    {
        // A value a wasm local holds is read from it again after the check instead of through a scratch local.
        Operands(1);
        var valueLocal = HoldingLocal();
        var value = -1;
        if (valueLocal >= 0)
        {
            _il.Emit(OpCodes.Pop);
            Consumed(1);
        }
        else
        {
            value = PopToTemp();
        }
        var source = AddressAndCheck(offset, AccessSize(op));
        EffectiveAddress(offset, source);
        if (valueLocal >= 0) LoadLocal(valueLocal);
        else _il.Ldloc(value);
        switch (op)
        {
            case Opcode.I32Store or Opcode.F32Store: _il.Emit(OpCodes.Stind_I4); break;
            case Opcode.I64Store or Opcode.F64Store: _il.Emit(OpCodes.Stind_I8); break;
            case Opcode.I32Store8: _il.Emit(OpCodes.Stind_I1); break;
            case Opcode.I32Store16: _il.Emit(OpCodes.Stind_I2); break;
            case Opcode.I64Store8: _il.Emit(OpCodes.Conv_I4); _il.Emit(OpCodes.Stind_I1); break;
            case Opcode.I64Store16: _il.Emit(OpCodes.Conv_I4); _il.Emit(OpCodes.Stind_I2); break;
            default: _il.Emit(OpCodes.Conv_I4); _il.Emit(OpCodes.Stind_I4); break;
        }
    }

    private void TranslateTable(in Instruction ins)
    {
        switch (ins.Opcode)
        {
            case Opcode.TableGet:
                Operands(1);
                SyncFuelOut();
                _il.Ldarg(_argCtx);
                _il.LdcI4((int)ins.A);
                Site();
                _il.Call(Members.TableGet);
                Consumed(1);
                Push(_module.Module.TableType((int)ins.A).ElementType);
                return;
            case Opcode.TableSet:
                Operands(2);
                SyncFuelOut();
                _il.Ldarg(_argCtx);
                _il.LdcI4((int)ins.A);
                Site();
                _il.Call(Members.TableSet);
                Consumed(2);
                return;
            case Opcode.TableSize:
                _il.Ldarg(_argCtx);
                _il.LdcI4((int)ins.A);
                _il.Call(Members.TableSize);
                Push(ValType.I32);
                return;
            case Opcode.TableGrow:
                Operands(2);
                _il.Ldarg(_argCtx);
                _il.LdcI4((int)ins.A);
                _il.Call(Members.TableGrow);
                Consumed(2);
                Push(ValType.I32);
                return;
            case Opcode.TableFill:
                Operands(3);
                SyncFuelOut();
                _il.Ldarg(_argCtx);
                _il.LdcI4((int)ins.A);
                Site();
                _il.Call(Members.TableFill);
                Consumed(3);
                return;
            case Opcode.TableCopy:
                Operands(3);
                SyncFuelOut();
                _il.Ldarg(_argCtx);
                _il.LdcI4((int)ins.A);
                _il.LdcI4((int)ins.B);
                Site();
                _il.Call(Members.TableCopy);
                Consumed(3);
                return;
            case Opcode.TableInit:
                Operands(3);
                SyncFuelOut();
                _il.Ldarg(_argCtx);
                _il.LdcI4((int)ins.B);
                _il.LdcI4((int)ins.A);
                Site();
                _il.Call(Members.TableInit);
                Consumed(3);
                return;
            case Opcode.ElemDrop:
                _il.Ldarg(_argCtx);
                _il.LdcI4((int)ins.A);
                _il.Call(Members.ElemDrop);
                return;
            default:
                throw new InvalidModuleException(ins.Offset, $"unsupported instruction {ins.Opcode}", _index);
        }
    }

    private readonly Dictionary<int, int> _globalLocals = new();

    /// <summary>Loads the address of global <paramref name="g"/>'s bits, held in a local filled once in the prologue.</summary>
    private void LoadGlobalCell(int g)
    {
        if (!_globalLocals.TryGetValue(g, out var local))
        {
            local = _il.DeclareLocal(typeof(nint));
            _globalLocals.Add(g, local);
        }
        _il.Ldloc(local);
    }

    /// <summary>Prologue part: the cell of every global the body uses, from the context's array into its local.</summary>
    private void LoadGlobalLocals()
    {
        foreach (var (g, local) in _globalLocals)
        {
            _il.Ldarg(_argCtx);
            _il.Ldfld(Members.InstanceGlobalCells);
            _il.LdcI4(g);
            _il.Emit(OpCodes.Ldelem_I);
            _il.Stloc(local);
        }
    }

    private void GlobalGet(int g)
    {
        var type = _module.Module.GlobalType(g).ValType;
        LoadGlobalCell(g);
        _il.Emit(OpCodes.Ldind_I8);
        if (IlType(type) == typeof(int)) _il.Emit(OpCodes.Conv_I4);
        Push(type);
    }

    private void GlobalSet(int g)
    {
        var type = Top();
        var value = PopToTemp();
        LoadGlobalCell(g);
        _il.Ldloc(value);
        if (IlType(type) == typeof(int)) _il.Emit(OpCodes.Conv_U8);
        _il.Emit(OpCodes.Stind_I8);
    }
}
