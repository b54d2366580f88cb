namespace Vats.Wasm.Model;

/// <summary>
/// A decoded (not necessarily validated) module: the binary format's sections as plain data.
/// Index spaces (functions, tables, memories, globals) start with the imports, in import order.
/// </summary>
public sealed class Module
{
    /// <summary>Type section.</summary>
    public List<FuncType> Types { get; } = [];

    /// <summary>Import section.</summary>
    public List<Import> Imports { get; } = [];

    /// <summary>Function section: the type index of each defined function.</summary>
    public List<uint> FunctionTypeIndices { get; } = [];

    /// <summary>Table section.</summary>
    public List<TableType> Tables { get; } = [];

    /// <summary>Memory section.</summary>
    public List<MemoryType> Memories { get; } = [];

    /// <summary>Global section.</summary>
    public List<GlobalDefinition> Globals { get; } = [];

    /// <summary>Export section.</summary>
    public List<Export> Exports { get; } = [];

    /// <summary>Start section.</summary>
    public uint? StartFunction { get; set; }

    /// <summary>Element section.</summary>
    public List<ElementSegment> Elements { get; } = [];

    /// <summary>Data count section, if present.</summary>
    public uint? DataCount { get; set; }

    /// <summary>Code section, one body per defined function.</summary>
    public List<FunctionBody> Codes { get; } = [];

    /// <summary>Data section.</summary>
    public List<DataSegment> Datas { get; } = [];

    /// <summary>Custom sections, in binary order.</summary>
    public List<CustomSection> CustomSections { get; } = [];

    /// <summary>SHA-256 of the binary this module was decoded from (module identity for snapshots).</summary>
    public byte[] Sha256 { get; set; } = [];

    /// <summary>Number of imported functions (they come first in the function index space).</summary>
    public int ImportedFunctionCount { get; private set; }

    /// <summary>Number of imported tables.</summary>
    public int ImportedTableCount { get; private set; }

    /// <summary>Number of imported memories.</summary>
    public int ImportedMemoryCount { get; private set; }

    /// <summary>Number of imported globals.</summary>
    public int ImportedGlobalCount { get; private set; }

    /// <summary>Size of the function index space.</summary>
    public int FunctionCount => ImportedFunctionCount + FunctionTypeIndices.Count;

    /// <summary>Size of the table index space.</summary>
    public int TableCount => ImportedTableCount + Tables.Count;

    /// <summary>Size of the memory index space.</summary>
    public int MemoryCount => ImportedMemoryCount + Memories.Count;

    /// <summary>Size of the global index space.</summary>
    public int GlobalCount => ImportedGlobalCount + Globals.Count;

    /// <summary>Recounts imports by kind; the decoder calls it after the import section.</summary>
    public void CountImports()
    {
        ImportedFunctionCount = Imports.Count(i => i.Kind == ExternalKind.Function);
        ImportedTableCount = Imports.Count(i => i.Kind == ExternalKind.Table);
        ImportedMemoryCount = Imports.Count(i => i.Kind == ExternalKind.Memory);
        ImportedGlobalCount = Imports.Count(i => i.Kind == ExternalKind.Global);
    }

    /// <summary>Type index of a function in the function index space (imports first). Assumes a validated index.</summary>
    public uint FunctionTypeIndex(int functionIndex)
    {
        if (functionIndex < ImportedFunctionCount)
        {
            var seen = 0;
            foreach (var import in Imports)
            {
                if (import.Kind != ExternalKind.Function) continue;
                if (seen++ == functionIndex) return import.FunctionTypeIndex;
            }
        }
        return FunctionTypeIndices[functionIndex - ImportedFunctionCount];
    }

    /// <summary>Signature of a function in the function index space. Assumes validated indices.</summary>
    public FuncType FunctionType(int functionIndex) => Types[(int)FunctionTypeIndex(functionIndex)];

    /// <summary>Type of a table in the table index space.</summary>
    public TableType TableType(int tableIndex) =>
        tableIndex < ImportedTableCount ? NthImport(ExternalKind.Table, tableIndex).Table : Tables[tableIndex - ImportedTableCount];

    /// <summary>Type of a memory in the memory index space.</summary>
    public MemoryType MemoryType(int memoryIndex) =>
        memoryIndex < ImportedMemoryCount ? NthImport(ExternalKind.Memory, memoryIndex).Memory : Memories[memoryIndex - ImportedMemoryCount];

    /// <summary>Type of a global in the global index space.</summary>
    public GlobalType GlobalType(int globalIndex) =>
        globalIndex < ImportedGlobalCount ? NthImport(ExternalKind.Global, globalIndex).Global : Globals[globalIndex - ImportedGlobalCount].Type;

    private Import NthImport(ExternalKind kind, int n)
    {
        var seen = 0;
        foreach (var import in Imports)
        {
            if (import.Kind != kind) continue;
            if (seen++ == n) return import;
        }
        throw new ArgumentOutOfRangeException(nameof(n));
    }
}
