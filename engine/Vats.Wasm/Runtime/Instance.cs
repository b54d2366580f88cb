using Vats.Wasm.Errors;
using Vats.Wasm.Model;

namespace Vats.Wasm.Runtime;

/// <summary>An instantiated module: its functions, tables, memories, globals, segments and exports.</summary>
public sealed class Instance
{
    private readonly Dictionary<string, Extern> _exports = new(StringComparer.Ordinal);

    private Instance(Store store, CompiledModule compiled)
    {
        Store = store;
        Module = compiled.Module;
        var m = Module;
        Functions = new Function[m.FunctionCount];
        Tables = new Table[m.TableCount];
        Memories = new Memory[m.MemoryCount];
        Globals = new Global[m.GlobalCount];
        ElementSegments = new ulong[m.Elements.Count][];
        DataSegments = new ReadOnlyMemory<byte>[m.Datas.Count];
        DroppedElements = new bool[m.Elements.Count];
        DroppedData = new bool[m.Datas.Count];
    }

    /// <summary>The store it runs in.</summary>
    public Store Store { get; }

    /// <summary>The module it instantiates.</summary>
    public Module Module { get; }

    /// <summary>The function index space (imports first).</summary>
    public Function[] Functions { get; }

    /// <summary>
    /// Each function's index by its store address, made by the first snapshot (the functions do not change after
    /// instantiation; a checkpoint per delivery rebuilt it for QuickJS's thousands of functions every time).
    /// </summary>
    internal Dictionary<int, int>? FunctionIndexByAddress { get; set; }

    /// <summary>The table index space.</summary>
    public Table[] Tables { get; }

    /// <summary>The memory index space.</summary>
    public Memory[] Memories { get; }

    /// <summary>The global index space.</summary>
    public Global[] Globals { get; }

    /// <summary>Element segments as reference bits; an empty array once dropped.</summary>
    internal ulong[][] ElementSegments { get; }

    /// <summary>Data segments; empty once dropped.</summary>
    internal ReadOnlyMemory<byte>[] DataSegments { get; }

    /// <summary>Which element segments were dropped (elem.drop, or applied at instantiation).</summary>
    internal bool[] DroppedElements { get; }

    /// <summary>Which data segments were dropped (data.drop, or applied at instantiation).</summary>
    internal bool[] DroppedData { get; }

    /// <summary>Exports by name.</summary>
    public IReadOnlyDictionary<string, Extern> Exports => _exports;

    /// <summary>Memory 0, or null.</summary>
    public Memory? Memory => Memories.Length > 0 ? Memories[0] : null;

    /// <summary>An exported function; <see cref="KeyNotFoundException"/> if there is none of that name.</summary>
    public Function GetFunction(string name) => GetExport<Function>(name, "function");

    /// <summary>An exported memory.</summary>
    public Memory GetMemory(string name) => GetExport<Memory>(name, "memory");

    /// <summary>An exported table.</summary>
    public Table GetTable(string name) => GetExport<Table>(name, "table");

    /// <summary>An exported global.</summary>
    public Global GetGlobal(string name) => GetExport<Global>(name, "global");

    private T GetExport<T>(string name, string kind) where T : Extern =>
        _exports.TryGetValue(name, out var value) && value is T typed
            ? typed
            : throw new KeyNotFoundException($"module exports no {kind} named \"{name}\"");

    /// <summary>
    /// Instantiates <paramref name="compiled"/> in <paramref name="store"/>: links imports, allocates state, applies
    /// active segments and runs the start function. Errors: <see cref="LinkException"/> for imports,
    /// <see cref="TrapException"/> for a segment out of bounds or a trapping start function (segments applied
    /// before the failing one stay applied, as the spec requires).
    /// </summary>
    public static Instance Instantiate(Store store, CompiledModule compiled, Imports? imports = null)
    {
        var instance = new Instance(store, compiled);
        instance.Link(imports ?? new Imports());
        instance.Allocate();
        instance.InitializeSegments();
        if (compiled.Module.StartFunction is { } start) instance.Functions[start].Invoke([], []);
        return instance;
    }

    private void Link(Imports imports)
    {
        int f = 0, t = 0, mem = 0, g = 0;
        foreach (var import in Module.Imports)
        {
            if (!imports.TryGet(import.Module, import.Name, out var value))
                throw new LinkException(import.Module, import.Name, "unknown import");
            switch (import.Kind)
            {
                case ExternalKind.Function:
                {
                    var expected = Module.Types[(int)import.FunctionTypeIndex];
                    if (value is not Function function || !function.Type.Equals(expected))
                        throw new LinkException(import.Module, import.Name, $"incompatible import type: expected function {expected}");
                    Store.Register(function);
                    Functions[f++] = function;
                    break;
                }
                case ExternalKind.Table:
                    if (value is not Table table || table.Type.ElementType != import.Table.ElementType
                        || !new Limits(table.Size, table.Type.Limits.Max).IsSubtypeOf(import.Table.Limits))
                        throw new LinkException(import.Module, import.Name, $"incompatible import type: expected table {import.Table.ElementType.Name()} {import.Table.Limits}");
                    Tables[t++] = table;
                    break;
                case ExternalKind.Memory:
                    if (value is not Memory memory || !new Limits(memory.Pages, memory.Type.Limits.Max).IsSubtypeOf(import.Memory.Limits))
                        throw new LinkException(import.Module, import.Name, $"incompatible import type: expected memory {import.Memory.Limits}");
                    Memories[mem++] = memory;
                    break;
                case ExternalKind.Global:
                    if (value is not Global global || global.Type != import.Global)
                        throw new LinkException(import.Module, import.Name, $"incompatible import type: expected global {(import.Global.Mutable ? "mut " : "")}{import.Global.ValType.Name()}");
                    Globals[g++] = global;
                    break;
            }
        }
    }

    private void Allocate()
    {
        var m = Module;
        var options = Store.Options;
        for (var i = 0; i < m.FunctionTypeIndices.Count; i++)
        {
            var index = m.ImportedFunctionCount + i;
            var function = new WasmFunction(m.Types[(int)m.FunctionTypeIndices[i]], this, index, m.Codes[i]);
            Store.Register(function);
            Functions[index] = function;
        }
        for (var i = 0; i < m.Tables.Count; i++)
            Tables[m.ImportedTableCount + i] = CreateOrFail(() => new Table(m.Tables[i], 0, options.MaxTableElements), "table");
        for (var i = 0; i < m.Memories.Count; i++)
            Memories[m.ImportedMemoryCount + i] = CreateOrFail(() => new Memory(m.Memories[i], options.MaxMemoryPages), "memory");
        for (var i = 0; i < m.Globals.Count; i++)
        {
            var definition = m.Globals[i];
            var bits = ConstEvaluator.Evaluate(definition.Init, Globals, Functions);
            Globals[m.ImportedGlobalCount + i] = new Global(definition.Type, new WasmValue(definition.Type.ValType, bits));
        }
        for (var i = 0; i < m.Elements.Count; i++)
        {
            var items = m.Elements[i].Items;
            var refs = new ulong[items.Length];
            for (var j = 0; j < items.Length; j++) refs[j] = ConstEvaluator.Evaluate(items[j], Globals, Functions);
            ElementSegments[i] = refs;
        }
        for (var i = 0; i < m.Datas.Count; i++) DataSegments[i] = m.Datas[i].Data;
        foreach (var export in m.Exports)
        {
            _exports[export.Name] = export.Kind switch
            {
                ExternalKind.Function => Functions[export.Index],
                ExternalKind.Table => Tables[export.Index],
                ExternalKind.Memory => Memories[export.Index],
                _ => Globals[export.Index],
            };
        }
    }

    private static T CreateOrFail<T>(Func<T> create, string what)
    {
        try
        {
            return create();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new LinkException("", what, e.Message);
        }
    }

    private void InitializeSegments()
    {
        var m = Module;
        for (var i = 0; i < m.Elements.Count; i++)
        {
            var segment = m.Elements[i];
            if (segment.Mode == SegmentMode.Active)
            {
                var offset = (uint)ConstEvaluator.Evaluate(segment.OffsetExpr!, Globals, Functions);
                var table = Tables[segment.TableIndex];
                var refs = ElementSegments[i];
                if ((ulong)offset + (ulong)refs.Length > table.Size)
                    throw new TrapException(TrapKind.TableOutOfBounds, detail: $"element segment {i} does not fit its table");
                refs.CopyTo(table.Elements, (int)offset);
            }
            if (segment.Mode != SegmentMode.Passive) DropElements(i);
        }
        for (var i = 0; i < m.Datas.Count; i++)
        {
            var segment = m.Datas[i];
            if (segment.Mode != SegmentMode.Active) continue;
            var offset = (uint)ConstEvaluator.Evaluate(segment.OffsetExpr!, Globals, Functions);
            var memory = Memories[segment.MemoryIndex];
            var data = DataSegments[i].Span;
            if ((ulong)offset + (ulong)data.Length > (ulong)memory.Length)
                throw new TrapException(TrapKind.MemoryOutOfBounds, detail: $"data segment {i} does not fit its memory");
            data.CopyTo(memory.Buffer.AsSpan((int)offset));
            DropData(i);
        }
    }

    /// <summary>elem.drop: the segment becomes empty.</summary>
    internal void DropElements(int index)
    {
        ElementSegments[index] = [];
        DroppedElements[index] = true;
    }

    /// <summary>data.drop: the segment becomes empty.</summary>
    internal void DropData(int index)
    {
        DataSegments[index] = ReadOnlyMemory<byte>.Empty;
        DroppedData[index] = true;
    }
}
