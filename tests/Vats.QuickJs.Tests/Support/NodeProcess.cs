using System.Diagnostics;

namespace Vats.QuickJs.Tests.Support;

/// <summary>Runs Node (the reference host runs the same wasm on V8).</summary>
internal static class NodeProcess
{
    public static string Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Checkout.MissingPrerequisite("node is not installed: the reference host needs Node 20");
            throw;
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.That(process.ExitCode, Is.Zero, $"node {string.Join(' ', arguments)} failed: {stderr.Result}");
            return stdout;
        }
    }
}
