using System.Diagnostics;

namespace Vats.Worker.Tests.Support;

/// <summary>Runs the worker with a command line that makes it print something and exit (no command channel).</summary>
internal static class WorkerRun
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(TestPaths.Worker)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {TestPaths.Worker}");
        try
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(SocketWorker.Patience)) Assert.Fail($"vats-worker {string.Join(' ', arguments)} did not exit within {SocketWorker.Patience}");
            process.WaitForExit();
            return new Result(process.ExitCode, stdout.Result, stderr.Result);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}
