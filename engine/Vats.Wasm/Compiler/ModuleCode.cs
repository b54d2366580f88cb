using System.Runtime.CompilerServices;
using Vats.Wasm.Model;

namespace Vats.Wasm.Compiler;

/// <summary>A module compiled to machine-callable code: function pointers into its generated class and what callers need to know.</summary>
internal sealed class ModuleCode
{
    private static readonly ConditionalWeakTable<Module, ModuleCode?[]> Cache = new();

    public ModuleCode(Module module, bool canonicalize, Type generated, nint[] functions, nint[] entries, int[] frameSizes,
        int[] resultCounts, int[] typeIds, Dictionary<int, nint> hostAdapters)
    {
        Module = module;
        Canonicalize = canonicalize;
        Generated = generated;
        Functions = functions;
        Entries = entries;
        FrameSizes = frameSizes;
        ResultCounts = resultCounts;
        TypeIds = typeIds;
        HostAdapters = hostAdapters;
    }

    public Module Module { get; }

    public bool Canonicalize { get; }

    /// <summary>The generated class; referenced so the collectible assembly lives as long as pointers into it do.</summary>
    public Type Generated { get; }

    /// <summary>Compiled function of each defined function (compiled calling convention).</summary>
    public nint[] Functions { get; }

    /// <summary>Entry wrapper of each defined function: <c>(object ctx, ulong* args, ulong* results, int framesLeft, int slotsLeft)</c>.</summary>
    public nint[] Entries { get; }

    /// <summary>The interpreter's frame size of each defined function (locals + highest operand stack + 1).</summary>
    public int[] FrameSizes { get; }

    public int[] ResultCounts { get; }

    /// <summary>Canonical id (<see cref="TypeRegistry"/>) of each type index.</summary>
    public int[] TypeIds { get; }

    /// <summary>Host adapter by canonical type id.</summary>
    public Dictionary<int, nint> HostAdapters { get; }

    /// <summary>
    /// The module's code: precompiled if an assembly for its SHA-256 was registered
    /// (<see cref="PrecompiledModules.Register"/>), else compiled on first use (once per module and NaN setting).
    /// </summary>
    public static ModuleCode For(Module module, bool canonicalize)
    {
        var slots = Cache.GetValue(module, _ => new ModuleCode?[2]);
        lock (slots)
        {
            var i = canonicalize ? 1 : 0;
            return slots[i] ??= PrecompiledModules.Find(module, canonicalize) is { } type
                ? FromGenerated(module, canonicalize, type)
                : ModuleCompiler.Compile(module, canonicalize);
        }
    }

    /// <summary>Distinct signatures of the module in type-section order: one host adapter each.</summary>
    public static List<FuncType> AdapterTypes(Module module)
    {
        var list = new List<FuncType>();
        foreach (var t in module.Types)
            if (!list.Contains(t)) list.Add(t);
        return list;
    }

    /// <summary>Reads the function pointers and frame sizes out of a generated class (just emitted, or loaded precompiled).</summary>
    public static ModuleCode FromGenerated(Module module, bool canonicalize, Type generated)
    {
        var defined = module.FunctionTypeIndices.Count;
        var table = (nint[])generated.GetMethod(ModuleCompiler.PointersMethod)!.Invoke(null, null)!;
        var frameSizes = (int[])generated.GetMethod(ModuleCompiler.FrameSizesMethod)!.Invoke(null, null)!;
        var adapterTypes = AdapterTypes(module);
        if (table.Length != 2 * defined + adapterTypes.Count || frameSizes.Length != defined)
            throw new InvalidOperationException($"generated code {generated.Assembly.FullName} does not fit the module");
        var hostAdapters = new Dictionary<int, nint>();
        for (var k = 0; k < adapterTypes.Count; k++) hostAdapters[TypeRegistry.Id(adapterTypes[k])] = table[2 * defined + k];
        var typeIds = module.Types.Select(TypeRegistry.Id).ToArray();
        var resultCounts = Enumerable.Range(0, defined).Select(i => module.Types[(int)module.FunctionTypeIndices[i]].Results.Length).ToArray();
        return new ModuleCode(module, canonicalize, generated, table[..defined], table[defined..(2 * defined)], frameSizes, resultCounts, typeIds, hostAdapters);
    }
}
