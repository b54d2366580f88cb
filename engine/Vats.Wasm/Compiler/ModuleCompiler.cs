using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using Vats.Wasm.Model;
using Module = Vats.Wasm.Model.Module;

namespace Vats.Wasm.Compiler;

/// <summary>
/// Translates a whole module into one static class of a collectible dynamic assembly: one method per defined
/// function (wasm parameters, then context, frames left, slots left), an entry wrapper per function for calls from
/// the host (arguments and results as bits), a host adapter per signature for host functions reached through
/// imports or tables, and a method returning all their function pointers. The JIT compiles each method at its
/// first call.
/// </summary>
internal sealed class ModuleCompiler
{
    private readonly MethodBuilder[] _methods;

    private ModuleCompiler(Module module, bool canonicalize, MethodBuilder[] methods, MethodInfo canonicalF32, MethodInfo canonicalF64)
    {
        Module = module;
        Graph = CallGraph.Scan(module);
        Canonicalize = canonicalize;
        _methods = methods;
        CanonicalF32 = canonicalF32;
        CanonicalF64 = canonicalF64;
    }

    /// <summary>float → bits with NaN canonicalized, defined in the generated class so ahead-of-time code can inline it.</summary>
    public MethodInfo CanonicalF32 { get; }

    /// <inheritdoc cref="CanonicalF32"/>
    public MethodInfo CanonicalF64 { get; }

    private static MethodBuilder DefineCanonical(TypeBuilder type, bool wide)
    {
        var method = type.DefineMethod(wide ? "canonical64" : "canonical32", MethodAttributes.Public | MethodAttributes.Static,
            wide ? typeof(long) : typeof(int), [wide ? typeof(double) : typeof(float)]);
        method.SetImplementationFlags(MethodImplAttributes.AggressiveInlining);
        var il = method.GetILGenerator();
        var nan = il.DefineLabel();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Bne_Un, nan); // only NaN is unequal to itself
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, wide ? Members.DoubleToInt64Bits : Members.SingleToInt32Bits);
        il.Emit(OpCodes.Ret);
        il.MarkLabel(nan);
        if (wide) il.Emit(OpCodes.Ldc_I8, (long)Interpreter.NumericOps.CanonicalF64);
        else il.Emit(OpCodes.Ldc_I4, (int)Interpreter.NumericOps.CanonicalF32);
        il.Emit(OpCodes.Ret);
        return method;
    }

    public Module Module { get; }

    /// <summary>What each function can reach through its calls.</summary>
    public CallGraph Graph { get; }

    /// <summary>Whether float results have their NaNs canonicalized (<see cref="RuntimeOptions.CanonicalizeNaNs"/>).</summary>
    public bool Canonicalize { get; }

    public MethodInfo Method(int defined) => _methods[defined];

    private static readonly Type UlongPointer = typeof(ulong).MakePointerType();

    /// <summary>The IL signature of a compiled function of type <paramref name="type"/>.</summary>
    public static (Type? Return, Type[] Parameters) Signature(FuncType type)
    {
        var parameters = new Type[type.Parameters.Length + 3];
        for (var i = 0; i < type.Parameters.Length; i++) parameters[i] = FunctionCompiler.IlType(type.Parameters[i]);
        parameters[^3] = typeof(object);
        parameters[^2] = typeof(int);
        parameters[^1] = typeof(int);
        var returnType = type.Results.Length == 1 ? FunctionCompiler.IlType(type.Results[0]) : typeof(void);
        return (returnType, parameters);
    }

    public static ModuleCode Compile(Module module, bool canonicalize)
    {
        var name = AssemblyNameFor(module);
        var assembly = AssemblyBuilder.DefineDynamicAssembly(name, AssemblyBuilderAccess.RunAndCollect);
        var created = Build(assembly, name, module, canonicalize).CreateType();
        return ModuleCode.FromGenerated(module, canonicalize, created);
    }

    /// <summary>Writes the module's compiled code as an assembly file (for ahead-of-time compilation by crossgen2).</summary>
    public static void Save(Module module, bool canonicalize, string path)
    {
        var name = AssemblyNameFor(module);
        var assembly = new PersistedAssemblyBuilder(name, typeof(object).Assembly);
        Build(assembly, name, module, canonicalize).CreateType();
        assembly.Save(path);
    }

    /// <summary>Name of the generated assembly: identifies the module (SHA-256) and the NaN setting.</summary>
    public static AssemblyName AssemblyNameFor(Module module) =>
        new("Vats.Wasm.Compiled." + Convert.ToHexStringLower(module.Sha256));

    private static TypeBuilder Build(AssemblyBuilder assembly, AssemblyName name, Module module, bool canonicalize)
    {
        assembly.SetCustomAttribute(new CustomAttributeBuilder(
            typeof(IgnoresAccessChecksToAttribute).GetConstructor([typeof(string)])!, [typeof(ModuleCompiler).Assembly.GetName().Name!]));
        // The code reaches this build's internals by name and layout; a saved copy records which build it fits.
        assembly.SetCustomAttribute(new CustomAttributeBuilder(
            typeof(AssemblyMetadataAttribute).GetConstructor([typeof(string), typeof(string)])!, [BuildKey, BuildId]));
        // beforefieldinit: the class has no static constructor, and without the flag crossgen2 starts every method with
        // a call to the class-initialization helper (measured: 2 % of the instructions of the QuickJS bench).
        var type = assembly.DefineDynamicModule(name.Name! + ".dll").DefineType(GeneratedTypeName(canonicalize), TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.BeforeFieldInit);

        var defined = module.FunctionTypeIndices.Count;
        var methods = new MethodBuilder[defined];
        var types = new FuncType[defined];
        for (var i = 0; i < defined; i++)
        {
            types[i] = module.Types[(int)module.FunctionTypeIndices[i]];
            var (returnType, parameters) = Signature(types[i]);
            methods[i] = type.DefineMethod("f" + (module.ImportedFunctionCount + i), MethodAttributes.Public | MethodAttributes.Static, returnType, parameters);
        }
        var compiler = new ModuleCompiler(module, canonicalize, methods, DefineCanonical(type, wide: false), DefineCanonical(type, wide: true));

        var functions = new FunctionCompiler[defined];
        var frameSizes = new int[defined];
        for (var i = 0; i < defined; i++)
        {
            functions[i] = new FunctionCompiler(compiler, i);
            functions[i].Compile();
            frameSizes[i] = functions[i].FrameSize;
        }
        var checks = compiler.Graph.StackChecks(d => functions[d].MakesCalls, d => functions[d].FrameEstimate);
        for (var i = 0; i < defined; i++) functions[i].Finish(checks[i]);
        for (var i = 0; i < defined; i++)
            functions[i].Il.Replay(methods[i].GetILGenerator(), functions[i].RunCosts, d => frameSizes[d], frameSizes[i]);

        var entries = new MethodBuilder[defined];
        for (var i = 0; i < defined; i++) entries[i] = DefineEntry(type, i, types[i], methods[i]);
        var adapters = ModuleCode.AdapterTypes(module).Select((t, k) => DefineHostAdapter(type, k, t)).ToArray();

        var pointers = type.DefineMethod(PointersMethod, MethodAttributes.Public | MethodAttributes.Static, typeof(nint[]), []);
        var il = pointers.GetILGenerator();
        var all = methods.Concat(entries).Concat(adapters).ToArray();
        il.Emit(OpCodes.Ldc_I4, all.Length);
        il.Emit(OpCodes.Newarr, typeof(nint));
        for (var i = 0; i < all.Length; i++)
        {
            il.Emit(OpCodes.Dup);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Ldftn, all[i]);
            il.Emit(OpCodes.Stelem_I);
        }
        il.Emit(OpCodes.Ret);

        var sizes = type.DefineMethod(FrameSizesMethod, MethodAttributes.Public | MethodAttributes.Static, typeof(int[]), []);
        il = sizes.GetILGenerator();
        il.Emit(OpCodes.Ldc_I4, defined);
        il.Emit(OpCodes.Newarr, typeof(int));
        for (var i = 0; i < defined; i++)
        {
            il.Emit(OpCodes.Dup);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Ldc_I4, frameSizes[i]);
            il.Emit(OpCodes.Stelem_I4);
        }
        il.Emit(OpCodes.Ret);
        return type;
    }

    /// <summary>Key of the generated assembly's metadata naming the Vats.Wasm build it was made by.</summary>
    public const string BuildKey = "Vats.Wasm.Build";

    /// <summary>This Vats.Wasm build: the module version id of its assembly (deterministic builds give equal sources equal ids).</summary>
    public static string BuildId { get; } = typeof(ModuleCompiler).Assembly.ManifestModule.ModuleVersionId.ToString("N");

    public const string PointersMethod = "Pointers";
    public const string FrameSizesMethod = "FrameSizes";

    /// <summary>The generated class's name, which records the NaN setting the code was made with.</summary>
    public static string GeneratedTypeName(bool canonicalize) => canonicalize ? "WasmModule" : "WasmModuleRawNaNs";

    /// <summary><c>void Entry(object ctx, ulong* args, ulong* results, int framesLeft, int slotsLeft)</c>.</summary>
    private static MethodBuilder DefineEntry(TypeBuilder type, int defined, FuncType signature, MethodBuilder function)
    {
        var entry = type.DefineMethod("e" + defined, MethodAttributes.Public | MethodAttributes.Static, typeof(void),
            [typeof(object), UlongPointer, UlongPointer, typeof(int), typeof(int)]);
        var il = entry.GetILGenerator();
        for (var i = 0; i < signature.Parameters.Length; i++)
        {
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldc_I4, i * 8);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Ldind_I8);
            if (FunctionCompiler.IlType(signature.Parameters[i]) == typeof(int)) il.Emit(OpCodes.Conv_I4);
        }
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldarg_3);
        il.Emit(OpCodes.Ldarg_S, (byte)4);
        il.Emit(OpCodes.Call, function);
        var results = signature.Results;
        if (results.Length == 1)
        {
            var wide = FunctionCompiler.IlType(results[0]) == typeof(long);
            var local = il.DeclareLocal(wide ? typeof(long) : typeof(int));
            il.Emit(OpCodes.Stloc, local);
            il.Emit(OpCodes.Ldarg_2);
            il.Emit(OpCodes.Ldloc, local);
            if (!wide) il.Emit(OpCodes.Conv_U8);
            il.Emit(OpCodes.Stind_I8);
        }
        else
        {
            for (var i = 0; i < results.Length; i++)
            {
                il.Emit(OpCodes.Ldarg_2);
                il.Emit(OpCodes.Ldc_I4, i * 8);
                il.Emit(OpCodes.Add);
                il.Emit(OpCodes.Ldarg_0);
                il.Emit(OpCodes.Ldfld, Members.InstanceState);
                il.Emit(OpCodes.Ldfld, Members.StateResults);
                il.Emit(OpCodes.Ldc_I4, i);
                il.Emit(OpCodes.Ldelem_I8);
                il.Emit(OpCodes.Stind_I8);
            }
        }
        il.Emit(OpCodes.Ret);
        return entry;
    }

    /// <summary>A host function with the compiled calling convention: packs the arguments and calls <see cref="Support.CallHost"/>.</summary>
    private static MethodBuilder DefineHostAdapter(TypeBuilder type, int k, FuncType signature)
    {
        var (returnType, parameters) = Signature(signature);
        var adapter = type.DefineMethod("h" + k, MethodAttributes.Public | MethodAttributes.Static, returnType, parameters);
        var il = adapter.GetILGenerator();
        var count = Math.Max(1, Math.Max(signature.Parameters.Length, signature.Results.Length));
        var buffer = il.DeclareLocal(UlongPointer);
        il.Emit(OpCodes.Ldc_I4, count * 8);
        il.Emit(OpCodes.Conv_U);
        il.Emit(OpCodes.Localloc);
        il.Emit(OpCodes.Stloc, buffer);
        for (var i = 0; i < signature.Parameters.Length; i++)
        {
            il.Emit(OpCodes.Ldloc, buffer);
            il.Emit(OpCodes.Ldc_I4, i * 8);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Ldarg, (short)i);
            if (FunctionCompiler.IlType(signature.Parameters[i]) == typeof(int)) il.Emit(OpCodes.Conv_U8);
            il.Emit(OpCodes.Stind_I8);
        }
        il.Emit(OpCodes.Ldarg, (short)signature.Parameters.Length);
        il.Emit(OpCodes.Ldloc, buffer);
        il.Emit(OpCodes.Call, Members.CallHost);
        if (signature.Results.Length == 1)
        {
            il.Emit(OpCodes.Ldloc, buffer);
            il.Emit(OpCodes.Ldind_I8);
            if (FunctionCompiler.IlType(signature.Results[0]) == typeof(int)) il.Emit(OpCodes.Conv_I4);
        }
        il.Emit(OpCodes.Ret);
        return adapter;
    }
}
