using System.Diagnostics;

namespace Vats.Bundler.Tests;

/// <summary>Runs node with a script from the harness directory and captures its output.</summary>
internal static class NodeProcess
{
    public static (int ExitCode, string Output) Run(string script, params string[] args)
    {
        var psi = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepoPaths.Harness,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2))) { p.Kill(true); throw new TimeoutException($"node {script} timed out"); }
        return (p.ExitCode, stdout + stderr.Result);
    }
}
