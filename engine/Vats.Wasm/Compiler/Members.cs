using System.Numerics;
using System.Reflection;
using Vats.Wasm.Interpreter;
using Vats.Wasm.Runtime;

namespace Vats.Wasm.Compiler;

/// <summary>The fields and methods compiled code refers to, looked up once.</summary>
internal static class Members
{
    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    private static FieldInfo Field<T>(string name) => typeof(T).GetField(name, All) ?? throw new MissingFieldException(typeof(T).Name, name);

    private static MethodInfo Method(Type type, string name, params Type[] parameters) =>
        type.GetMethod(name, All, null, parameters, null) ?? throw new MissingMethodException(type.Name, name);

    public static readonly FieldInfo StateResults = Field<ExecState>(nameof(ExecState.Results));

    public static readonly FieldInfo InstanceState = Field<CompiledInstance>(nameof(CompiledInstance.State));
    public static readonly FieldInfo InstanceStateBlock = Field<CompiledInstance>(nameof(CompiledInstance.StateBlock));
    public static readonly FieldInfo InstanceMemoryBlock = Field<CompiledInstance>(nameof(CompiledInstance.MemoryBlock));
    public static readonly FieldInfo InstanceGlobalCells = Field<CompiledInstance>(nameof(CompiledInstance.GlobalCells));
    public static readonly FieldInfo InstanceImports = Field<CompiledInstance>(nameof(CompiledInstance.Imports));
    public static readonly FieldInfo InstanceFuncRefs = Field<CompiledInstance>(nameof(CompiledInstance.FuncRefs));

    public static readonly FieldInfo TargetFn = Field<CallTarget>(nameof(CallTarget.Fn));
    public static readonly FieldInfo TargetTarget = Field<CallTarget>(nameof(CallTarget.Target));
    public static readonly FieldInfo TargetDepthNeed = Field<CallTarget>(nameof(CallTarget.DepthNeed));
    public static readonly FieldInfo TargetFrameSize = Field<CallTarget>(nameof(CallTarget.FrameSize));
    public static readonly FieldInfo TargetTrap = Field<CallTarget>(nameof(CallTarget.Trap));


    public static readonly MethodInfo MakeTrap = Method(typeof(Support), nameof(Support.MakeTrap), typeof(int), typeof(int), typeof(int));
    public static readonly MethodInfo TruncationTrapKind = Method(typeof(Support), nameof(Support.TruncationTrapKind), typeof(int));
    public static readonly MethodInfo ResolveIndirect = Method(typeof(Support), nameof(Support.ResolveIndirect), typeof(object), typeof(int), typeof(int), typeof(int));
    public static readonly MethodInfo SwitchStack = Method(typeof(Support), nameof(Support.SwitchStack), typeof(object), typeof(int), typeof(ulong[]), typeof(int), typeof(int));
    public static readonly MethodInfo CallHost = typeof(Support).GetMethod(nameof(Support.CallHost), All)!;
    public static readonly MethodInfo MemoryGrow = Method(typeof(Support), nameof(Support.MemoryGrow), typeof(int), typeof(object));
    public static readonly MethodInfo MemoryInit = Method(typeof(Support), nameof(Support.MemoryInit), typeof(int), typeof(int), typeof(int), typeof(object), typeof(int), typeof(int), typeof(int));
    public static readonly MethodInfo MemoryCopy = Method(typeof(Support), nameof(Support.MemoryCopy), typeof(int), typeof(int), typeof(int), typeof(object), typeof(int), typeof(int));
    public static readonly MethodInfo MemoryFill = Method(typeof(Support), nameof(Support.MemoryFill), typeof(int), typeof(int), typeof(int), typeof(object), typeof(int), typeof(int));
    public static readonly MethodInfo DataDrop = Method(typeof(Support), nameof(Support.DataDrop), typeof(object), typeof(int));
    public static readonly MethodInfo ElemDrop = Method(typeof(Support), nameof(Support.ElemDrop), typeof(object), typeof(int));
    public static readonly MethodInfo TableGet = Method(typeof(Support), nameof(Support.TableGet), typeof(int), typeof(object), typeof(int), typeof(int), typeof(int));
    public static readonly MethodInfo TableSet = Method(typeof(Support), nameof(Support.TableSet), typeof(int), typeof(long), typeof(object), typeof(int), typeof(int), typeof(int));
    public static readonly MethodInfo TableSize = Method(typeof(Support), nameof(Support.TableSize), typeof(object), typeof(int));
    public static readonly MethodInfo TableGrow = Method(typeof(Support), nameof(Support.TableGrow), typeof(long), typeof(int), typeof(object), typeof(int));
    public static readonly MethodInfo TableFill = Method(typeof(Support), nameof(Support.TableFill), typeof(int), typeof(long), typeof(int), typeof(object), typeof(int), typeof(int), typeof(int));
    public static readonly MethodInfo TableCopy = Method(typeof(Support), nameof(Support.TableCopy), typeof(int), typeof(int), typeof(int), typeof(object), typeof(int), typeof(int), typeof(int), typeof(int));
    public static readonly MethodInfo TableInit = Method(typeof(Support), nameof(Support.TableInit), typeof(int), typeof(int), typeof(int), typeof(object), typeof(int), typeof(int), typeof(int), typeof(int));

    public static readonly MethodInfo Int32BitsToSingle = Method(typeof(BitConverter), nameof(BitConverter.Int32BitsToSingle), typeof(int));
    public static readonly MethodInfo Int64BitsToDouble = Method(typeof(BitConverter), nameof(BitConverter.Int64BitsToDouble), typeof(long));
    public static readonly MethodInfo SingleToInt32Bits = Method(typeof(BitConverter), nameof(BitConverter.SingleToInt32Bits), typeof(float));
    public static readonly MethodInfo DoubleToInt64Bits = Method(typeof(BitConverter), nameof(BitConverter.DoubleToInt64Bits), typeof(double));

    public static readonly MethodInfo MinF32 = Method(typeof(NumericOps), nameof(NumericOps.Min), typeof(float), typeof(float));
    public static readonly MethodInfo MaxF32 = Method(typeof(NumericOps), nameof(NumericOps.Max), typeof(float), typeof(float));
    public static readonly MethodInfo MinF64 = Method(typeof(NumericOps), nameof(NumericOps.Min), typeof(double), typeof(double));
    public static readonly MethodInfo MaxF64 = Method(typeof(NumericOps), nameof(NumericOps.Max), typeof(double), typeof(double));
    public static readonly MethodInfo CeilF32 = Method(typeof(MathF), nameof(MathF.Ceiling), typeof(float));
    public static readonly MethodInfo FloorF32 = Method(typeof(MathF), nameof(MathF.Floor), typeof(float));
    public static readonly MethodInfo TruncF32 = Method(typeof(MathF), nameof(MathF.Truncate), typeof(float));
    public static readonly MethodInfo NearestF32 = Method(typeof(Support), nameof(Support.NearestF32), typeof(float));
    public static readonly MethodInfo SqrtF32 = Method(typeof(MathF), nameof(MathF.Sqrt), typeof(float));
    public static readonly MethodInfo CeilF64 = Method(typeof(Math), nameof(Math.Ceiling), typeof(double));
    public static readonly MethodInfo FloorF64 = Method(typeof(Math), nameof(Math.Floor), typeof(double));
    public static readonly MethodInfo TruncF64 = Method(typeof(Math), nameof(Math.Truncate), typeof(double));
    public static readonly MethodInfo NearestF64 = Method(typeof(Support), nameof(Support.NearestF64), typeof(double));
    public static readonly MethodInfo SqrtF64 = Method(typeof(Math), nameof(Math.Sqrt), typeof(double));

    public static readonly MethodInfo TruncI32S = Method(typeof(NumericOps), nameof(NumericOps.TruncI32S), typeof(double), typeof(int).MakeByRefType());
    public static readonly MethodInfo TruncI32U = Method(typeof(NumericOps), nameof(NumericOps.TruncI32U), typeof(double), typeof(uint).MakeByRefType());
    public static readonly MethodInfo TruncI64S = Method(typeof(NumericOps), nameof(NumericOps.TruncI64S), typeof(double), typeof(long).MakeByRefType());
    public static readonly MethodInfo TruncI64U = Method(typeof(NumericOps), nameof(NumericOps.TruncI64U), typeof(double), typeof(ulong).MakeByRefType());
    public static readonly MethodInfo SatI32S = Method(typeof(NumericOps), nameof(NumericOps.SatI32S), typeof(double));
    public static readonly MethodInfo SatI32U = Method(typeof(NumericOps), nameof(NumericOps.SatI32U), typeof(double));
    public static readonly MethodInfo SatI64S = Method(typeof(NumericOps), nameof(NumericOps.SatI64S), typeof(double));
    public static readonly MethodInfo SatI64U = Method(typeof(NumericOps), nameof(NumericOps.SatI64U), typeof(double));
    public static readonly MethodInfo I64ToF32 = Method(typeof(NumericOps), nameof(NumericOps.I64ToF32), typeof(long));
    public static readonly MethodInfo U64ToF32 = Method(typeof(NumericOps), nameof(NumericOps.U64ToF32), typeof(ulong));
    public static readonly MethodInfo U64ToF64 = Method(typeof(NumericOps), nameof(NumericOps.U64ToF64), typeof(ulong));

    public static readonly MethodInfo Lzcnt32 = Method(typeof(BitOperations), nameof(BitOperations.LeadingZeroCount), typeof(uint));
    public static readonly MethodInfo Tzcnt32 = Method(typeof(BitOperations), nameof(BitOperations.TrailingZeroCount), typeof(uint));
    public static readonly MethodInfo Popcnt32 = Method(typeof(BitOperations), nameof(BitOperations.PopCount), typeof(uint));
    public static readonly MethodInfo Lzcnt64 = Method(typeof(BitOperations), nameof(BitOperations.LeadingZeroCount), typeof(ulong));
    public static readonly MethodInfo Tzcnt64 = Method(typeof(BitOperations), nameof(BitOperations.TrailingZeroCount), typeof(ulong));
    public static readonly MethodInfo Popcnt64 = Method(typeof(BitOperations), nameof(BitOperations.PopCount), typeof(ulong));
    public static readonly MethodInfo Rotl32 = Method(typeof(BitOperations), nameof(BitOperations.RotateLeft), typeof(uint), typeof(int));
    public static readonly MethodInfo Rotr32 = Method(typeof(BitOperations), nameof(BitOperations.RotateRight), typeof(uint), typeof(int));
    public static readonly MethodInfo Rotl64 = Method(typeof(BitOperations), nameof(BitOperations.RotateLeft), typeof(ulong), typeof(int));
    public static readonly MethodInfo Rotr64 = Method(typeof(BitOperations), nameof(BitOperations.RotateRight), typeof(ulong), typeof(int));
}
