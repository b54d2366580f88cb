using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Vats.KernelClient.Tests.Support;

/// <summary>Runs a reference script on Node, feeding it UTF-8 input on stdin.</summary>
internal static class NodeProcess
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static string Run(string script, string stdin)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(script)!,
        };
        start.ArgumentList.Add(script);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception)
        {
            Checkout.MissingPrerequisite("node is not installed: the reference checks need Node 20");
            throw;
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
            process.WaitForExit();
            Assert.That(process.ExitCode, Is.Zero, $"node {Path.GetFileName(script)} failed: {stderr.Result}");
            return stdout.Result;
        }
    }
}
