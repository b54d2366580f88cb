using Vats.Wasm;
using Vats.Wasm.Errors;

namespace Vats.Wasm.Precompiler;

/// <summary>
/// <c>Vats.Wasm.Precompiler MODULE.wasm OUT.dll [SHA256]</c>: decodes and validates the module and writes its compiled
/// code (<see cref="PrecompiledModules.Save"/>, NaNs canonicalized) for ahead-of-time compilation by crossgen2. With a
/// SHA-256, refuses any other module, so a build never ships code for a binary it did not pin.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length is < 2 or > 3)
        {
            Console.Error.WriteLine("usage: Vats.Wasm.Precompiler MODULE.wasm OUT.dll [SHA256]");
            return 1;
        }
        try
        {
            var module = CompiledModule.CompileFile(args[0]);
            var sha = Convert.ToHexStringLower(module.Module.Sha256);
            if (args.Length == 3 && !string.Equals(sha, args[2], StringComparison.OrdinalIgnoreCase))
            {
                Console.Error.WriteLine($"{args[0]} has SHA-256 {sha}, expected {args[2]}");
                return 1;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(args[1]))!);
            PrecompiledModules.Save(module, args[1]);
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or WasmException)
        {
            Console.Error.WriteLine($"{args[0]}: {e.Message}");
            return 1;
        }
    }
}
