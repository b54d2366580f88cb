using Vats.Wasm.Model;

namespace Vats.QuickJs.Native;

/// <summary>
/// The function imports of the pinned build (all from module "a"; the memory is "a"."a"): C name, minified
/// name and signature, in import order. <see cref="NativeImports"/> answers each of them.
/// </summary>
internal static class ImportTable
{
    internal const string ModuleName = "a";
    internal const string MemoryName = "a";

    internal sealed record Entry(string CName, string WasmName, string Parameters, string Results);

    internal static readonly Entry[] Entries =
    [
        new("__assert_fail", "b", "i32 i32 i32 i32", ""),
        new("fd_write", "c", "i32 i32 i32 i32", "i32"),
        new("fd_close", "d", "i32", "i32"),
        new("environ_get", "e", "i32 i32", "i32"),
        new("environ_sizes_get", "f", "i32 i32", "i32"),
        new("qts_host_normalize_module", "g", "i32 i32 i32 i32", "i32"),
        new("qts_host_load_module_source", "h", "i32 i32 i32", "i32"),
        new("qts_host_interrupt_handler", "i", "i32", "i32"),
        new("_setitimer_js", "j", "i32 f64", "i32"),
        new("emscripten_resize_heap", "k", "i32", "i32"),
        new("_emscripten_runtime_keepalive_clear", "l", "", ""),
        new("_localtime_js", "m", "i64 i32", ""),
        new("_tzset_js", "n", "i32 i32 i32 i32", ""),
        new("fd_seek", "o", "i32 i64 i32 i32", "i32"),
        new("emscripten_date_now", "p", "", "f64"),
        new("abort", "q", "", ""),
        new("proc_exit", "r", "i32", ""),
        new("qts_host_call_function", "s", "i32 i32 i32 i32 i32", "i32"),
        new("qts_host_ref_free", "t", "i32 i32", ""),
    ];

    /// <summary>Throws <see cref="QuickJsBinaryException"/> unless the module imports exactly these functions and one memory.</summary>
    internal static void Verify(Module module, string origin)
    {
        var functions = module.Imports.Where(i => i.Kind == ExternalKind.Function).ToList();
        var problems = new List<string>();
        if (functions.Count != Entries.Length) problems.Add($"it imports {functions.Count} functions, expected {Entries.Length}");
        for (var i = 0; i < Math.Min(functions.Count, Entries.Length); i++)
        {
            var import = functions[i];
            var entry = Entries[i];
            var type = module.Types[(int)import.FunctionTypeIndex];
            if (import.Module != ModuleName || import.Name != entry.WasmName
                || ExportTable.Signature(type.Parameters) != entry.Parameters || ExportTable.Signature(type.Results) != entry.Results)
                problems.Add($"import {i} is \"{import.Module}\".\"{import.Name}\" {type}, expected \"{ModuleName}\".\"{entry.WasmName}\" ({entry.CName}) [{entry.Parameters}] -> [{entry.Results}]");
        }
        if (!module.Imports.Any(i => i.Kind == ExternalKind.Memory && i.Module == ModuleName && i.Name == MemoryName))
            problems.Add("it does not import its memory as \"a\".\"a\"");
        if (problems.Count > 0)
            throw new QuickJsBinaryException($"{origin} does not have the imports of {QuickJsBinary.Package}: {string.Join("; ", problems.Take(5))}");
    }
}
