using Vats.Wasm.Model;
using Vats.Wasm.Runtime;

namespace Vats.Wasm.SpecTests;

/// <summary>
/// The "spectest" module every spec script may import, as the reference interpreter's harness defines it:
/// print functions that do nothing, immutable globals holding 666 / 666.6, a funcref table of 10..20
/// elements and a memory of 1..2 pages.
/// </summary>
internal static class SpecHost
{
    public const string ModuleName = "spectest";

    public static Imports CreateImports()
    {
        var imports = new Imports();
        DefinePrint(imports, "print");
        DefinePrint(imports, "print_i32", ValType.I32);
        DefinePrint(imports, "print_i64", ValType.I64);
        DefinePrint(imports, "print_f32", ValType.F32);
        DefinePrint(imports, "print_f64", ValType.F64);
        DefinePrint(imports, "print_i32_f32", ValType.I32, ValType.F32);
        DefinePrint(imports, "print_f64_f64", ValType.F64, ValType.F64);
        imports.Define(ModuleName, "global_i32", new Global(new GlobalType(ValType.I32, false), WasmValue.I32(666)));
        imports.Define(ModuleName, "global_i64", new Global(new GlobalType(ValType.I64, false), WasmValue.I64(666)));
        imports.Define(ModuleName, "global_f32", new Global(new GlobalType(ValType.F32, false), WasmValue.F32(666.6f)));
        imports.Define(ModuleName, "global_f64", new Global(new GlobalType(ValType.F64, false), WasmValue.F64(666.6)));
        imports.Define(ModuleName, "table", new Table(new TableType(ValType.FuncRef, new Limits(10, 20))));
        imports.Define(ModuleName, "memory", new Memory(new MemoryType(new Limits(1, 2))));
        return imports;
    }

    private static void DefinePrint(Imports imports, string name, params ValType[] parameters) =>
        imports.Define(ModuleName, name, new HostFunction(new FuncType(parameters, []), static (_, _) => { }));
}
