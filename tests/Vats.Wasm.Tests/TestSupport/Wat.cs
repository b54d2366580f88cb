using System.Diagnostics;

namespace Vats.Wasm.Tests.TestSupport;

/// <summary>Turns WebAssembly text into a binary with wabt's wat2wasm (installed by .ci/setup).</summary>
internal static class Wat
{
    public static byte[] ToWasm(string text)
    {
        var dir = Directory.CreateTempSubdirectory("vats-wat-");
        try
        {
            var input = Path.Combine(dir.FullName, "m.wat");
            var output = Path.Combine(dir.FullName, "m.wasm");
            File.WriteAllText(input, text);
            var start = new ProcessStartInfo("wat2wasm", [input, "-o", output])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            Process process;
            try
            {
                process = Process.Start(start)!;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                throw new InvalidOperationException("wat2wasm not found: run bash .ci/setup (installs wabt)");
            }
            using (process)
            {
                var errors = process.StandardError.ReadToEnd();
                process.WaitForExit();
                if (process.ExitCode != 0) throw new InvalidOperationException($"wat2wasm failed: {errors}");
            }
            return File.ReadAllBytes(output);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Compiles WAT text to a validated module.</summary>
    public static CompiledModule Compile(string text) => CompiledModule.Compile(ToWasm(text));
}
