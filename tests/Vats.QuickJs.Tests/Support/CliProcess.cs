using System.Diagnostics;

namespace Vats.QuickJs.Tests.Support;

/// <summary>Runs the `vats` CLI (copied next to the tests by the project reference) in a child process.</summary>
internal static class CliProcess
{
    public static (int Exit, string Out, string Error) Run(params string[] arguments)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "vats.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(cli);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }

    /// <summary>Runs and asserts exit code 0; returns standard output.</summary>
    public static string Succeed(params string[] arguments)
    {
        var (exit, output, error) = Run(arguments);
        Assert.That(exit, Is.Zero, $"vats {string.Join(' ', arguments)}: {error}");
        return output;
    }
}
