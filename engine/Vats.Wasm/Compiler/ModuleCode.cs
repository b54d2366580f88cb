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

    /// <summary>The module's code, compiling it on first use (once per module and NaN setting).</summary>
    public static ModuleCode For(Module module, bool canonicalize)
    {
        var slots = Cache.GetValue(module, _ => new ModuleCode?[2]);
        lock (slots)
        {
            var i = canonicalize ? 1 : 0;
            return slots[i] ??= ModuleCompiler.Compile(module, canonicalize);
        }
    }
}
