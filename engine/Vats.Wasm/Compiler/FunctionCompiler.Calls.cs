using System.Reflection.Emit;
using Vats.Wasm.Errors;
using Vats.Wasm.Model;

namespace Vats.Wasm.Compiler;

/// <summary>
/// Calls. The caller checks the callee against the interpreter's limits first — frames left, and value slots left
/// above the callee's frame (which starts at the caller's slot of its first argument) — and traps at its own call
/// instruction, exactly where the interpreter does. Fuel is written to the shared state before the call and read
/// back after it; memory base and length are reloaded too unless the callee provably cannot grow memory
/// (<see cref="CallGraph"/>).
/// </summary>
internal sealed partial class FunctionCompiler
{
    private int _target = -1;
    private int _probe = -1;
    private int _switchLabel = -1;

    private void Call(int function)
    {
        _makesCalls = true;
        var m = _module.Module;
        var type = m.FunctionType(function);
        var n = type.Parameters.Length;
        if (n > Height) throw new InvalidModuleException(_offset, "type mismatch", _index);
        var argSlot = _localCount + Height - n;
        var spilled = SpillAll();
        SyncFuelOut();
        if (function < m.ImportedFunctionCount)
        {
            if (_target < 0) _target = _il.DeclareLocal(typeof(CallTarget));
            _il.Ldarg(_argCtx);
            _il.Ldfld(Members.InstanceImports);
            _il.LdcI4(function);
            _il.Emit(OpCodes.Ldelem_Ref);
            _il.Stloc(_target);
            CallThroughTarget(type, argSlot, Math.Max(spilled, n));
        }
        else
        {
            var defined = function - m.ImportedFunctionCount;
            var exhausted = TrapLabel(TrapKind.CallStackExhausted);
            _il.Ldarg(_argDepth);
            _il.LdcI4(0);
            _il.Branch(OpCodes.Ble, exhausted);
            _il.Ldarg(_argSlots);
            _il.CalleeFrame(defined, argSlot);
            _il.Branch(OpCodes.Blt, exhausted);
            Reload(Math.Max(spilled, n));
            _il.Ldarg(_argCtx);
            PassLimits(argSlot);
            _il.Call(_module.Method(defined));
            // A callee that cannot reach memory.grow or outside code leaves base and length as they were.
            AfterCall(type, reloadMemory: _module.Graph.MayGrowMemory(defined));
            return;
        }
        AfterCall(type);
    }

    private void CallIndirect(int typeIndex, int table)
    {
        _makesCalls = true;
        var type = _module.Module.Types[typeIndex];
        var n = type.Parameters.Length;
        var index = PopToTemp();
        if (n > Height) throw new InvalidModuleException(_offset, "type mismatch", _index);
        var argSlot = _localCount + Height - n;
        var spilled = SpillAll();
        SyncFuelOut();
        if (_target < 0) _target = _il.DeclareLocal(typeof(CallTarget));
        _il.Ldarg(_argCtx);
        _il.LdcI4(table);
        _il.Ldloc(index);
        _il.LdcI4(typeIndex);
        _il.Call(Members.ResolveIndirect);
        _il.Stloc(_target);
        _il.Ldloc(_target);
        _il.Ldfld(Members.TargetTrap);
        _il.Branch(OpCodes.Brtrue, TrapLabel(TrapKind.UndefinedElement, _offset, IndirectKind));
        CallThroughTarget(type, argSlot, Math.Max(spilled, n));
        AfterCall(type);
    }

    /// <summary>Checks and calls the <see cref="CallTarget"/> in the target local; the IL stack is empty on entry.</summary>
    private void CallThroughTarget(FuncType type, int argSlot, int reload)
    {
        var exhausted = TrapLabel(TrapKind.CallStackExhausted);
        _il.Ldarg(_argDepth);
        _il.Ldloc(_target);
        _il.Ldfld(Members.TargetDepthNeed);
        _il.Branch(OpCodes.Blt, exhausted);
        _il.Ldarg(_argSlots);
        _il.LdcI4(argSlot);
        _il.Emit(OpCodes.Sub);
        _il.Ldloc(_target);
        _il.Ldfld(Members.TargetFrameSize);
        _il.Branch(OpCodes.Blt, exhausted);
        // Where a re-entrant call from a host function starts: above this frame, one frame deeper.
        _il.Ldloc(_state);
        _il.LdcI4(ExecState.HostDepthLeftOffset);
        _il.Emit(OpCodes.Add);
        _il.Ldarg(_argDepth);
        _il.Emit(OpCodes.Stind_I4);
        _il.Ldloc(_state);
        _il.LdcI4(ExecState.HostSlotsLeftOffset);
        _il.Emit(OpCodes.Add);
        _il.Ldarg(_argSlots);
        _il.OwnFrame();
        _il.Emit(OpCodes.Sub);
        _il.Emit(OpCodes.Stind_I4);
        Reload(reload);
        _il.Ldloc(_target);
        _il.Ldfld(Members.TargetTarget);
        PassLimits(argSlot);
        _il.Ldloc(_target);
        _il.Ldfld(Members.TargetFn);
        var (returnType, parameters) = ModuleCompiler.Signature(type);
        _il.Calli(returnType, parameters);
    }

    /// <summary>Pushes the callee's context-independent arguments: frames left and slots left.</summary>
    private void PassLimits(int argSlot)
    {
        _il.Ldarg(_argDepth);
        _il.LdcI4(1);
        _il.Emit(OpCodes.Sub);
        _il.Ldarg(_argSlots);
        _il.LdcI4(argSlot);
        _il.Emit(OpCodes.Sub);
    }

    private void AfterCall(FuncType type, bool reloadMemory = true)
    {
        Consumed(type.Parameters.Length);
        var results = type.Results;
        if (results.Length == 1)
        {
            Push(results[0]);
        }
        else
        {
            for (var i = 0; i < results.Length; i++)
            {
                _il.Ldarg(_argCtx);
                _il.Ldfld(Members.InstanceState);
                _il.Ldfld(Members.StateResults);
                _il.LdcI4(i);
                _il.Emit(OpCodes.Ldelem_I8);
                if (IlType(results[i]) == typeof(int)) _il.Emit(OpCodes.Conv_I4);
                Push(results[i]);
            }
        }
        SyncFuelIn();
        if (reloadMemory)
        {
            ReloadMemory();
            _checked.Clear();
        }
    }

    /// <summary>
    /// Prologue: when the stack pointer is below the current thread's limit, continue this call on a fresh stack
    /// segment (the .NET stack is finite; the wasm depth limit is the interpreter's, independent of it).
    /// </summary>
    private void EmitStackCheck()
    {
        _probe = _il.DeclareLocal(typeof(byte));
        _switchLabel = _il.DefineLabel();
        _il.Ldloca(_probe);
        _il.Emit(OpCodes.Conv_U);
        _il.Ldloc(_state);
        _il.LdcI4(ExecState.StackLimitOffset);
        _il.Emit(OpCodes.Add);
        _il.Emit(OpCodes.Ldind_I);
        _il.Branch(OpCodes.Blt_Un, _switchLabel);
    }

    /// <summary>The cold continuation of <see cref="EmitStackCheck"/>: packs the arguments and re-enters on a new segment.</summary>
    private void EmitStackSwitch()
    {
        if (_switchLabel < 0) return;
        _il.Mark(_switchLabel);
        var args = _il.DeclareLocal(typeof(ulong[]));
        _il.LdcI4(_paramCount);
        _il.Newarr(typeof(ulong));
        _il.Stloc(args);
        for (var i = 0; i < _paramCount; i++)
        {
            _il.Ldloc(args);
            _il.LdcI4(i);
            _il.Ldarg(i);
            if (IlType(_localTypes[i]) == typeof(int)) _il.Emit(OpCodes.Conv_U8);
            _il.Emit(OpCodes.Stelem_I8);
        }
        _il.Ldarg(_argCtx);
        _il.LdcI4(_defined);
        _il.Ldloc(args);
        _il.Ldarg(_argDepth);
        _il.Ldarg(_argSlots);
        _il.Call(Members.SwitchStack);
        var results = _type.Results;
        if (results.Length == 1)
        {
            _il.LdcI4(0);
            _il.Emit(OpCodes.Ldelem_I8);
            if (IlType(results[0]) == typeof(int)) _il.Emit(OpCodes.Conv_I4);
        }
        else
        {
            _il.Emit(OpCodes.Pop);
        }
        _il.Emit(OpCodes.Ret);
    }
}
