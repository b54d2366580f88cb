using Vats.Wasm.Model;
using Vats.Wasm.Runtime;

namespace Vats.Wasm.Tests.Fuzz;

/// <summary>
/// Offers every import a module asks for an extern of exactly the requested type: host functions that return
/// zeros, fresh tables and memories at their minimum size, zero-valued globals. An import that the store's
/// limits cannot satisfy (a memory or table larger than the caps) is left out, so linking reports it.
/// </summary>
internal static class StubImports
{
    public static Imports For(Module module, RuntimeOptions options)
    {
        var imports = new Imports();
        foreach (var import in module.Imports)
        {
            Extern? value = import.Kind switch
            {
                ExternalKind.Function => StubFunction(module, import),
                ExternalKind.Table => import.Table.Limits.Min <= options.MaxTableElements
                    ? new Table(import.Table, 0, options.MaxTableElements)
                    : null,
                ExternalKind.Memory => import.Memory.Limits.Min <= options.MaxMemoryPages
                    ? new Memory(import.Memory, options.MaxMemoryPages)
                    : null,
                ExternalKind.Global => new Global(import.Global, new WasmValue(import.Global.ValType, 0)),
                _ => throw new InvalidOperationException($"import {import.Module}.{import.Name} has unknown kind {import.Kind}"),
            };
            if (value is not null) imports.Define(import.Module, import.Name, value);
        }
        return imports;
    }

    private static HostFunction StubFunction(Module module, Import import)
    {
        // The module passed validation, so the type index must be in range; if not, that is a validator bug
        // and surfaces as an unexpected exception.
        if (import.FunctionTypeIndex >= module.Types.Count)
            throw new InvalidOperationException($"validated module imports {import.Module}.{import.Name} with type index {import.FunctionTypeIndex} of {module.Types.Count}");
        var type = module.Types[(int)import.FunctionTypeIndex];
        var resultCount = type.Results.Length;
        return new HostFunction(type, (_, values) => values[..resultCount].Clear());
    }
}
