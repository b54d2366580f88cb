using System.Reflection;
using System.Reflection.Emit;

namespace Vats.Wasm.Compiler;

/// <summary>
/// Records a function's IL so that numbers known only later — the fuel cost of a straight-line run (known at its
/// end), the frame sizes of callees (known once every function was translated) and the prologue (which depends on
/// what the body uses) — can be filled in before it is written to the real <see cref="ILGenerator"/>.
/// </summary>
internal sealed class IlRecorder
{
    private enum Kind : byte
    {
        Plain, I4, I8, Local, LocalAddress, StoreLocal, Arg, StoreArg, Branch, Mark, Switch, Method, Field, Calli,
        FuelCost, CalleeFrame, OwnFrame, GuardBegin, GuardEnd, TypeToken,
    }

    private struct Item
    {
        public Kind Kind;
        public OpCode Op;
        public long Value;
        public object? Obj;
    }

    private readonly List<Item> _body = [];
    private readonly List<Item> _prologue = [];
    private List<Item> _target;
    private readonly List<Type> _locals = [];
    private int _labels;

    public IlRecorder() => _target = _body;

    /// <summary>IL instructions recorded so far (body and prologue).</summary>
    public int Count => _body.Count + _prologue.Count;

    /// <summary>IL locals declared so far.</summary>
    public int LocalCount => _locals.Count;

    /// <summary>Items recorded until <see cref="EndPrologue"/> go before everything else.</summary>
    public void BeginPrologue() => _target = _prologue;

    public void EndPrologue() => _target = _body;

    public int DeclareLocal(Type type)
    {
        _locals.Add(type);
        return _locals.Count - 1;
    }

    public int DefineLabel() => _labels++;

    private void Add(Kind kind, OpCode op, long value = 0, object? obj = null) =>
        _target.Add(new Item { Kind = kind, Op = op, Value = value, Obj = obj });

    public void Emit(OpCode op) => Add(Kind.Plain, op);

    public void LdcI4(int value) => Add(Kind.I4, OpCodes.Ldc_I4, value);

    public void LdcI8(long value) => Add(Kind.I8, OpCodes.Ldc_I8, value);

    public void Ldloc(int local) => Add(Kind.Local, OpCodes.Ldloc, local);

    public void Ldloca(int local) => Add(Kind.LocalAddress, OpCodes.Ldloca, local);

    public void Stloc(int local) => Add(Kind.StoreLocal, OpCodes.Stloc, local);

    public void Ldarg(int arg) => Add(Kind.Arg, OpCodes.Ldarg, arg);

    public void Starg(int arg) => Add(Kind.StoreArg, OpCodes.Starg, arg);

    public void Branch(OpCode op, int label) => Add(Kind.Branch, op, label);

    public void Mark(int label) => Add(Kind.Mark, OpCodes.Nop, label);

    public void Switch(int[] labels) => Add(Kind.Switch, OpCodes.Switch, obj: labels);

    public void Call(MethodInfo method) => Add(Kind.Method, OpCodes.Call, obj: method);

    public void Newobj(ConstructorInfo constructor) => Add(Kind.Method, OpCodes.Newobj, obj: constructor);

    public void Ldfld(FieldInfo field) => Add(Kind.Field, OpCodes.Ldfld, obj: field);

    public void Stfld(FieldInfo field) => Add(Kind.Field, OpCodes.Stfld, obj: field);

    public void Newarr(Type type) => Add(Kind.TypeToken, OpCodes.Newarr, obj: type);

    public void Calli(Type? returnType, Type[] parameters) => Add(Kind.Calli, OpCodes.Calli, obj: (returnType, parameters));

    /// <summary>ldc.i8 of run <paramref name="run"/>'s fuel cost.</summary>
    public void FuelCost(int run) => Add(Kind.FuelCost, OpCodes.Ldc_I8, run);

    /// <summary>ldc.i4 of the frame size of defined function <paramref name="callee"/> plus <paramref name="add"/>.</summary>
    public void CalleeFrame(int callee, int add) => Add(Kind.CalleeFrame, OpCodes.Ldc_I4, ((long)add << 32) | (uint)callee);

    /// <summary>
    /// Items up to <see cref="EndFuelGuard"/> are written only if run <paramref name="run"/> costs something (a run of
    /// cost 0 can never run out of fuel, so it needs neither the check nor its stub).
    /// </summary>
    public void BeginFuelGuard(int run) => Add(Kind.GuardBegin, OpCodes.Nop, run);

    public void EndFuelGuard() => Add(Kind.GuardEnd, OpCodes.Nop);

    /// <summary>ldc.i4 of this function's own frame size.</summary>
    public void OwnFrame() => Add(Kind.OwnFrame, OpCodes.Ldc_I4);

    /// <summary>Writes everything to <paramref name="il"/>: the prologue first, then the body.</summary>
    public void Replay(ILGenerator il, IReadOnlyList<long> runCosts, Func<int, int> frameSize, int ownFrame)
    {
        var locals = new LocalBuilder[_locals.Count];
        for (var i = 0; i < locals.Length; i++) locals[i] = il.DeclareLocal(_locals[i]);
        var labels = new Label[_labels];
        for (var i = 0; i < labels.Length; i++) labels[i] = il.DefineLabel();
        var skip = false;
        foreach (var list in new[] { _prologue, _body })
        {
            foreach (var item in list)
            {
                if (item.Kind == Kind.GuardBegin)
                {
                    skip = runCosts[(int)item.Value] == 0;
                    continue;
                }
                if (item.Kind == Kind.GuardEnd)
                {
                    skip = false;
                    continue;
                }
                if (!skip) Write(il, item, locals, labels, runCosts, frameSize, ownFrame);
            }
        }
    }

    private static void Write(ILGenerator il, in Item item, LocalBuilder[] locals, Label[] labels, IReadOnlyList<long> runCosts,
        Func<int, int> frameSize, int ownFrame)
    {
        switch (item.Kind)
        {
            case Kind.Plain: il.Emit(item.Op); break;
            case Kind.I4: EmitI4(il, (int)item.Value); break;
            case Kind.I8: il.Emit(OpCodes.Ldc_I8, item.Value); break;
            case Kind.Local: EmitLocal(il, (int)item.Value, load: true); break;
            case Kind.StoreLocal: EmitLocal(il, (int)item.Value, load: false); break;
            case Kind.LocalAddress:
                if (item.Value < 256) il.Emit(OpCodes.Ldloca_S, (byte)item.Value);
                else il.Emit(OpCodes.Ldloca, (short)item.Value);
                break;
            case Kind.Arg: EmitArg(il, (int)item.Value, load: true); break;
            case Kind.StoreArg: EmitArg(il, (int)item.Value, load: false); break;
            case Kind.Branch: il.Emit(item.Op, labels[item.Value]); break;
            case Kind.Mark: il.MarkLabel(labels[item.Value]); break;
            case Kind.Switch: il.Emit(OpCodes.Switch, ((int[])item.Obj!).Select(l => labels[l]).ToArray()); break;
            case Kind.Method when item.Obj is ConstructorInfo constructor: il.Emit(OpCodes.Newobj, constructor); break;
            case Kind.Method: il.Emit(OpCodes.Call, (MethodInfo)item.Obj!); break;
            case Kind.Field: il.Emit(item.Op, (FieldInfo)item.Obj!); break;
            case Kind.Calli:
            {
                var (returnType, parameters) = ((Type?, Type[]))item.Obj!;
                il.EmitCalli(OpCodes.Calli, System.Reflection.CallingConventions.Standard, returnType, parameters, null);
                break;
            }
            case Kind.TypeToken: il.Emit(item.Op, (Type)item.Obj!); break;
            case Kind.FuelCost: il.Emit(OpCodes.Ldc_I8, runCosts[(int)item.Value]); break;
            case Kind.CalleeFrame: EmitI4(il, frameSize((int)(uint)item.Value) + (int)(item.Value >> 32)); break;
            case Kind.OwnFrame: EmitI4(il, ownFrame); break;
        }
    }

    private static void EmitI4(ILGenerator il, int value)
    {
        switch (value)
        {
            case -1: il.Emit(OpCodes.Ldc_I4_M1); return;
            case >= 0 and <= 8: il.Emit(value switch
            {
                0 => OpCodes.Ldc_I4_0, 1 => OpCodes.Ldc_I4_1, 2 => OpCodes.Ldc_I4_2, 3 => OpCodes.Ldc_I4_3, 4 => OpCodes.Ldc_I4_4,
                5 => OpCodes.Ldc_I4_5, 6 => OpCodes.Ldc_I4_6, 7 => OpCodes.Ldc_I4_7, _ => OpCodes.Ldc_I4_8,
            }); return;
            case >= -128 and <= 127: il.Emit(OpCodes.Ldc_I4_S, (sbyte)value); return;
            default: il.Emit(OpCodes.Ldc_I4, value); return;
        }
    }

    private static void EmitLocal(ILGenerator il, int index, bool load)
    {
        if (load)
        {
            switch (index)
            {
                case 0: il.Emit(OpCodes.Ldloc_0); return;
                case 1: il.Emit(OpCodes.Ldloc_1); return;
                case 2: il.Emit(OpCodes.Ldloc_2); return;
                case 3: il.Emit(OpCodes.Ldloc_3); return;
                case < 256: il.Emit(OpCodes.Ldloc_S, (byte)index); return;
                default: il.Emit(OpCodes.Ldloc, (short)index); return;
            }
        }
        switch (index)
        {
            case 0: il.Emit(OpCodes.Stloc_0); return;
            case 1: il.Emit(OpCodes.Stloc_1); return;
            case 2: il.Emit(OpCodes.Stloc_2); return;
            case 3: il.Emit(OpCodes.Stloc_3); return;
            case < 256: il.Emit(OpCodes.Stloc_S, (byte)index); return;
            default: il.Emit(OpCodes.Stloc, (short)index); return;
        }
    }

    private static void EmitArg(ILGenerator il, int index, bool load)
    {
        if (load)
        {
            switch (index)
            {
                case 0: il.Emit(OpCodes.Ldarg_0); return;
                case 1: il.Emit(OpCodes.Ldarg_1); return;
                case 2: il.Emit(OpCodes.Ldarg_2); return;
                case 3: il.Emit(OpCodes.Ldarg_3); return;
                case < 256: il.Emit(OpCodes.Ldarg_S, (byte)index); return;
                default: il.Emit(OpCodes.Ldarg, (short)index); return;
            }
        }
        if (index < 256) il.Emit(OpCodes.Starg_S, (byte)index);
        else il.Emit(OpCodes.Starg, (short)index);
    }
}
