namespace Vats.Wasm.Tests.TestSupport;

/// <summary>WebAssembly text → compiled module, for tests that state their module inline.</summary>
internal static class Wat
{
    public static byte[] ToWasm(string text) => Wabt.Wat2Wasm(text);

    /// <summary>Assembles and compiles (decode + validate) WAT text.</summary>
    public static CompiledModule Compile(string text) => CompiledModule.Compile(ToWasm(text));
}
