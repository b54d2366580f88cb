using Vats.Wasm.Model;

namespace Vats.Wasm.Validation;

/// <summary>
/// The spec's validation context C, flattened into arrays indexed like the module's index spaces so that
/// per-instruction look-ups are O(1).
/// </summary>
internal sealed class ValidationContext
{
    public ValidationContext(Module module)
    {
        Module = module;
        Types = module.Types;

        var funcs = new List<FuncType?>(module.FunctionCount);
        var tables = new List<TableType>(module.TableCount);
        var globals = new List<GlobalType>(module.GlobalCount);
        foreach (var import in module.Imports)
        {
            switch (import.Kind)
            {
                case ExternalKind.Function:
                    funcs.Add(import.FunctionTypeIndex < (uint)Types.Count ? Types[(int)import.FunctionTypeIndex] : null);
                    break;
                case ExternalKind.Table:
                    tables.Add(import.Table);
                    break;
                case ExternalKind.Memory:
                    MemoryCount++;
                    break;
                case ExternalKind.Global:
                    globals.Add(import.Global);
                    break;
            }
        }
        ImportedGlobalCount = globals.Count;
        foreach (var typeIndex in module.FunctionTypeIndices)
            funcs.Add(typeIndex < (uint)Types.Count ? Types[(int)typeIndex] : null);
        tables.AddRange(module.Tables);
        MemoryCount += module.Memories.Count;
        foreach (var global in module.Globals) globals.Add(global.Type);

        Functions = funcs.ToArray();
        Tables = tables.ToArray();
        Globals = globals.ToArray();
        Refs = new bool[Functions.Length];
    }

    public Module Module { get; }

    public List<FuncType> Types { get; }

    /// <summary>Signature per function index; null where the type index is out of range (reported separately).</summary>
    public FuncType?[] Functions { get; }

    public TableType[] Tables { get; }

    public int MemoryCount { get; }

    public GlobalType[] Globals { get; }

    /// <summary>Globals visible to constant expressions: in 2.0 only imported ones.</summary>
    public int ImportedGlobalCount { get; }

    /// <summary>C.refs: functions that `ref.func` may name inside function bodies.</summary>
    public bool[] Refs { get; }
}
