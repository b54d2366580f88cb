namespace Vats.Wasm.Tests.TestSupport;

/// <summary>
/// Minified export names of the pinned QuickJS build (Bellard engine). Emscripten names the 75 exports
/// u, v, …, z, A, …, Z, _, $, aa, ba, … in the order of the export section; the meaning of each comes from the
/// package's JS glue (dist/emscripten-module.cjs), which maps them back to the C names.
/// </summary>
internal static class QuickJsExports
{
    public const int Count = 75;

    public const string WasmCallCtors = "u";
    public const string Malloc = "v";
    public const string Free = "M";
    public const string Throw = "w";
    public const string NewError = "x";
    public const string RuntimeSetMaxStackSize = "D";
    public const string NewRuntime = "K";
    public const string FreeRuntime = "L";
    public const string NewContext = "N";
    public const string FreeContext = "O";
    public const string FreeValuePointer = "P";
    public const string FreeCString = "S";
    public const string NewFloat64 = "Y";
    public const string GetFloat64 = "Z";
    public const string NewString = "_";
    public const string GetString = "$";
    public const string SetProp = "ja";
    public const string ResolveException = "na";
    public const string Dump = "oa";
    public const string Eval = "pa";
    public const string GetGlobalObject = "ua";
    public const string NewFunction = "Da";
}
