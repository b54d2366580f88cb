using System.ComponentModel;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Vats.Wasm.SpecTests;

/// <summary>Converts a .wast script into wabt's JSON command list plus one .wasm per module.</summary>
internal static partial class Wast2Json
{
    public const string NotFoundMessage = "wast2json not found: run bash .ci/setup";

    /// <summary>Outcome of a conversion: the JSON path, or why wabt refused the script.</summary>
    public sealed record Result(string? JsonPath, string? Error);

    public static Result Convert(string wastPath, string outputDirectory)
    {
        var first = ConvertFile(wastPath, outputDirectory);
        if (first.JsonPath is not null) return first;

        // wabt 1.0.32 requires an explicit table index on table.get/set/size/grow/fill, which the 2.0 text format
        // lets scripts omit (it means table 0). Retry on a copy that spells the index out; the edit stays on the
        // same line, so line numbers in reports still point into the original script.
        var text = File.ReadAllText(wastPath);
        var patched = ImplicitTableIndex().Replace(text, "$1 0");
        if (patched == text) return first;
        Directory.CreateDirectory(outputDirectory);
        var copy = Path.Combine(outputDirectory, Path.GetFileName(wastPath));
        File.WriteAllText(copy, patched);
        var second = ConvertFile(copy, outputDirectory);
        return second.JsonPath is not null ? second : first;
    }

    [GeneratedRegex(@"\b(table\.(?:get|set|size|grow|fill))(?=[\s)])(?!\s+(?:\$|\d))")]
    private static partial Regex ImplicitTableIndex();

    private static Result ConvertFile(string wastPath, string outputDirectory)
    {
        Directory.CreateDirectory(outputDirectory);
        var jsonPath = Path.Combine(outputDirectory, Path.GetFileNameWithoutExtension(wastPath) + ".json");
        var start = new ProcessStartInfo("wast2json")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(wastPath);
        start.ArgumentList.Add("-o");
        start.ArgumentList.Add(jsonPath);

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException(NotFoundMessage);
        }
        catch (Win32Exception)
        {
            throw new InvalidOperationException(NotFoundMessage);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            _ = stdout.Result;
            if (process.ExitCode == 0 && File.Exists(jsonPath)) return new Result(jsonPath, null);
            var firstLine = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()
                ?? $"exit code {process.ExitCode}";
            // wabt prefixes its messages with the script's absolute path; the file name alone is enough.
            return new Result(null, firstLine.Replace(wastPath, Path.GetFileName(wastPath), StringComparison.Ordinal));
        }
    }

    /// <summary>Checks once, before any work, that the tool can be started at all.</summary>
    public static void EnsureAvailable()
    {
        var start = new ProcessStartInfo("wast2json", "--version")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException(NotFoundMessage);
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
        }
        catch (Win32Exception)
        {
            throw new InvalidOperationException(NotFoundMessage);
        }
    }
}
