using Vats.Wasm.Model;

namespace Vats.QuickJs.Native;

/// <summary>
/// The 75 exports of the pinned build: C name, minified wasm name and signature. Emscripten minifies export
/// names in export-section order (u, v, …, Z, _, $, aa, ba, …); the meaning of each comes from the package's
/// glue file (<c>dist/emscripten-module.cjs</c> assigns <c>c._QTS_Throw=b.w</c> and so on), which a test
/// re-reads to check this table. <see cref="Verify"/> refuses a module whose exports differ.
/// </summary>
internal static class ExportTable
{
    internal sealed record Entry(string CName, string WasmName, string Parameters, string Results);

    internal static readonly Entry[] Entries =
    [
        new("__wasm_call_ctors", "u", "", ""),
        new("malloc", "v", "i32", "i32"),
        new("QTS_Throw", "w", "i32 i32", "i32"),
        new("QTS_NewError", "x", "i32", "i32"),
        new("QTS_RuntimeSetMemoryLimit", "y", "i32 i32", ""),
        new("QTS_RuntimeComputeMemoryUsage", "z", "i32 i32", "i32"),
        new("QTS_RuntimeDumpMemoryUsage", "A", "i32", "i32"),
        new("QTS_RecoverableLeakCheck", "B", "", "i32"),
        new("QTS_BuildIsSanitizeLeak", "C", "", "i32"),
        new("QTS_RuntimeSetMaxStackSize", "D", "i32 i32", ""),
        new("QTS_GetUndefined", "E", "", "i32"),
        new("QTS_GetNull", "F", "", "i32"),
        new("QTS_GetFalse", "G", "", "i32"),
        new("QTS_GetTrue", "H", "", "i32"),
        new("QTS_NewHostRef", "I", "i32 i32", "i32"),
        new("QTS_GetHostRefId", "J", "i32", "i32"),
        new("QTS_NewRuntime", "K", "", "i32"),
        new("QTS_FreeRuntime", "L", "i32", ""),
        new("free", "M", "i32", ""),
        new("QTS_NewContext", "N", "i32 i32", "i32"),
        new("QTS_FreeContext", "O", "i32", ""),
        new("QTS_FreeValuePointer", "P", "i32 i32", ""),
        new("QTS_FreeValuePointerRuntime", "Q", "i32 i32", ""),
        new("QTS_FreeVoidPointer", "R", "i32 i32", ""),
        new("QTS_FreeCString", "S", "i32 i32", ""),
        new("QTS_DupValuePointer", "T", "i32 i32", "i32"),
        new("QTS_NewObject", "U", "i32", "i32"),
        new("QTS_NewObjectProto", "V", "i32 i32", "i32"),
        new("QTS_NewArray", "W", "i32", "i32"),
        new("QTS_NewArrayBuffer", "X", "i32 i32 i32", "i32"),
        new("QTS_NewFloat64", "Y", "i32 f64", "i32"),
        new("QTS_GetFloat64", "Z", "i32 i32", "f64"),
        new("QTS_NewString", "_", "i32 i32", "i32"),
        new("QTS_GetString", "$", "i32 i32", "i32"),
        new("QTS_GetArrayBuffer", "aa", "i32 i32", "i32"),
        new("QTS_GetArrayBufferLength", "ba", "i32 i32", "i32"),
        new("QTS_NewSymbol", "ca", "i32 i32 i32", "i32"),
        new("QTS_GetSymbolDescriptionOrKey", "da", "i32 i32", "i32"),
        new("QTS_IsGlobalSymbol", "ea", "i32 i32", "i32"),
        new("QTS_IsJobPending", "fa", "i32", "i32"),
        new("QTS_ExecutePendingJob", "ga", "i32 i32 i32", "i32"),
        new("QTS_GetProp", "ha", "i32 i32 i32", "i32"),
        new("QTS_GetPropNumber", "ia", "i32 i32 i32", "i32"),
        new("QTS_SetProp", "ja", "i32 i32 i32 i32", ""),
        new("QTS_DefineProp", "ka", "i32 i32 i32 i32 i32 i32 i32 i32 i32", ""),
        new("QTS_GetOwnPropertyNames", "la", "i32 i32 i32 i32 i32", "i32"),
        new("QTS_Call", "ma", "i32 i32 i32 i32 i32", "i32"),
        new("QTS_ResolveException", "na", "i32 i32", "i32"),
        new("QTS_Dump", "oa", "i32 i32", "i32"),
        new("QTS_Eval", "pa", "i32 i32 i32 i32 i32 i32", "i32"),
        new("QTS_GetModuleNamespace", "qa", "i32 i32", "i32"),
        new("QTS_Typeof", "ra", "i32 i32", "i32"),
        new("QTS_GetLength", "sa", "i32 i32 i32", "i32"),
        new("QTS_IsEqual", "ta", "i32 i32 i32 i32", "i32"),
        new("QTS_GetGlobalObject", "ua", "i32", "i32"),
        new("QTS_NewPromiseCapability", "va", "i32 i32", "i32"),
        new("QTS_PromiseState", "wa", "i32 i32", "i32"),
        new("QTS_PromiseResult", "xa", "i32 i32", "i32"),
        new("QTS_TestStringArg", "ya", "i32", ""),
        new("QTS_GetDebugLogEnabled", "za", "i32", "i32"),
        new("QTS_SetDebugLogEnabled", "Aa", "i32 i32", ""),
        new("QTS_BuildIsDebug", "Ba", "", "i32"),
        new("QTS_BuildIsAsyncify", "Ca", "", "i32"),
        new("QTS_NewFunction", "Da", "i32 i32 i32 i32 i32", "i32"),
        new("QTS_ArgvGetJSValueConstPointer", "Ea", "i32 i32", "i32"),
        new("QTS_RuntimeEnableInterruptHandler", "Fa", "i32", ""),
        new("QTS_RuntimeDisableInterruptHandler", "Ga", "i32", ""),
        new("QTS_RuntimeEnableModuleLoader", "Ha", "i32 i32", ""),
        new("QTS_RuntimeDisableModuleLoader", "Ia", "i32", ""),
        new("QTS_bjson_encode", "Ja", "i32 i32", "i32"),
        new("QTS_bjson_decode", "Ka", "i32 i32", "i32"),
        new("_emscripten_timeout", "La", "i32 f64", ""),
        new("_emscripten_stack_restore", "Ma", "i32", ""),
        new("_emscripten_stack_alloc", "Na", "i32", "i32"),
        new("emscripten_stack_get_current", "Oa", "", "i32"),
    ];

    private static readonly Dictionary<string, Entry> ByCName = Entries.ToDictionary(e => e.CName, StringComparer.Ordinal);

    /// <summary>The minified wasm name of the export with C name <paramref name="cName"/>.</summary>
    internal static string WasmName(string cName) => ByCName[cName].WasmName;

    /// <summary>Throws <see cref="QuickJsBinaryException"/> unless every table entry is exported with its signature.</summary>
    internal static void Verify(Module module, string origin)
    {
        var exports = module.Exports.Where(e => e.Kind == ExternalKind.Function).ToDictionary(e => e.Name, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var entry in Entries)
        {
            if (!exports.TryGetValue(entry.WasmName, out var export))
            {
                problems.Add($"{entry.CName} (\"{entry.WasmName}\") is not exported");
                continue;
            }
            var type = module.FunctionType((int)export.Index);
            if (Signature(type.Parameters) != entry.Parameters || Signature(type.Results) != entry.Results)
                problems.Add($"{entry.CName} (\"{entry.WasmName}\") has type {type}, expected [{entry.Parameters}] -> [{entry.Results}]");
        }
        if (module.Exports.Count != Entries.Length) problems.Add($"the module has {module.Exports.Count} exports, expected {Entries.Length}");
        if (problems.Count > 0)
            throw new QuickJsBinaryException($"{origin} does not have the exports of {QuickJsBinary.Package}: {string.Join("; ", problems.Take(5))}");
    }

    internal static string Signature(ValType[] types) => string.Join(" ", types.Select(t => t.Name()));
}
