using System.CommandLine;

namespace Vats.Cli.Commands;

/// <summary>`vats wasm …`: run and inspect WebAssembly modules on the Vats runtime.</summary>
internal static class WasmCommands
{
    public static Command Create()
    {
        var wasm = new Command("wasm", "Run and inspect WebAssembly modules");
        return wasm;
    }
}
