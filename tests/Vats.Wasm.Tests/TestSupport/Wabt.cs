using System.Diagnostics;
using System.Text.Json;

namespace Vats.Wasm.Tests.TestSupport;

/// <summary>Runs wabt's wat2wasm and wast2json (installed by .ci/setup) to make test modules at test time.</summary>
internal static class Wabt
{
    /// <summary>Assembles WebAssembly text into a binary module, with a name section.</summary>
    public static byte[] Wat2Wasm(string wat)
    {
        var dir = Directory.CreateTempSubdirectory("vats-wat-");
        try
        {
            var input = Path.Combine(dir.FullName, "module.wat");
            var output = Path.Combine(dir.FullName, "module.wasm");
            File.WriteAllText(input, wat);
            Run("wat2wasm", "--debug-names", input, "-o", output);
            return File.ReadAllBytes(output);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Converts a .wast script and returns the binaries of its plain <c>module</c> commands (the modules the
    /// script expects to be valid), in script order.
    /// </summary>
    public static List<byte[]> ValidModulesOf(string wastPath)
    {
        if (!File.Exists(wastPath)) throw new FileNotFoundException($"spec script {wastPath} is missing", wastPath);
        var dir = Directory.CreateTempSubdirectory("vats-wast-");
        try
        {
            var json = Path.Combine(dir.FullName, "script.json");
            Run("wast2json", wastPath, "-o", json);
            using var document = JsonDocument.Parse(File.ReadAllText(json));
            var modules = new List<byte[]>();
            foreach (var command in document.RootElement.GetProperty("commands").EnumerateArray())
            {
                if (command.GetProperty("type").GetString() != "module") continue;
                var file = command.GetProperty("filename").GetString()!;
                if (file.EndsWith(".wasm", StringComparison.Ordinal)) modules.Add(File.ReadAllBytes(Path.Combine(dir.FullName, file)));
            }
            return modules;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static void Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {tool}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{tool} is not installed (it comes with wabt): run `bash .ci/setup`", e);
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr.Result}{stdout}");
        }
    }
}
