using System.Text;

namespace Vats.Worker;

/// <summary>
/// The worker's own outputs: <c>print</c> lines on standard output (fd 1, flushed per line, as xsnap's), its
/// diagnostics on standard error prefixed with its name, and the exit that skips everything still queued.
/// </summary>
internal sealed class WorkerOutput(string name)
{
    private readonly Stream _stdout = Console.OpenStandardOutput();
    private readonly Stream _stderr = Console.OpenStandardError();
    private readonly string _prefix = name.Length > 0 ? $"vats-worker {name}: " : "vats-worker: ";

    internal void Print(string line) => Write(_stdout, line);

    internal void Log(string line) => Write(_stderr, _prefix + line);

    /// <summary>Ends the process now with <paramref name="code"/> (xsnap calls <c>_exit</c>: nothing else is sent).</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    internal void Exit(int code)
    {
        Environment.Exit(code);
        throw new InvalidOperationException("unreachable");
    }

    private static void Write(Stream stream, string line)
    {
        try
        {
            stream.Write(Encoding.UTF8.GetBytes(line + "\n"));
            stream.Flush();
        }
        catch (IOException)
        {
            // Output nobody reads is not a reason to stop the vat.
        }
    }
}
