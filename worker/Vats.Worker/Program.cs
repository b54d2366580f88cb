using Vats.Protocol;
using Vats.QuickJs;
using Vats.QuickJs.Native;
using Vats.Worker.Transport;

namespace Vats.Worker;

/// <summary>
/// <c>vats-worker</c>: one vat's JavaScript worker process, speaking xsnap-worker's protocol (see the README) on
/// xsnap's file descriptors or on a Unix domain socket.
/// </summary>
internal static class Program
{
    internal static int Main(string[] args)
    {
        var parsed = WorkerArguments.Parse(args, Environment.GetEnvironmentVariable);
        if (parsed.Options is not { } options)
        {
            (parsed.ExitCode == 0 ? Console.Out : Console.Error).WriteLine(parsed.Output);
            return parsed.ExitCode;
        }
        var output = new WorkerOutput(options.Name);
        // Decoding and validating the QuickJS module is the biggest fixed cost of a worker's start; it overlaps with
        // connecting and reading the first commands (a boot-image hit needs the module only later).
        var warmUp = Task.Run(() => QuickJsBinary.Module);
        Channel channel;
        try
        {
            channel = options.SocketPath is { } path ? SocketChannel.Connect(path) : new FdChannel();
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException or ArgumentException)
        {
            output.Log($"cannot open the command channel: {e.Message}");
            return ExitCodes.IoError;
        }
        try
        {
            if (channel is SocketChannel)
                channel.Write(Tags.Hello, new Hello(Hello.CurrentProtocol, WorkerVersion.Version, QuickJsBinary.Sha256, WorkerSnapshot.FormatVersion).ToJson());
            if (options.WarmUp) WarmUp.Run();
            byte[]? snapshot = null;
            if (options.SnapshotSource is { } source)
            {
                try
                {
                    snapshot = Channel.ReadSnapshot(source);
                }
                catch (Exception e) when (e is IOException or ProtocolException or UnauthorizedAccessException)
                {
                    output.Log($"cannot read snapshot {source}: {e.Message}");
                    return ExitCodes.IoError;
                }
            }
            CommandLoop loop;
            try
            {
                loop = new CommandLoop(options, channel, output, snapshot);
            }
            catch (Exception e) when (e is Vats.Wasm.Errors.SnapshotException or ArgumentException or QuickJsBinaryException)
            {
                output.Log($"cannot read snapshot {options.SnapshotSource}: {e.Message}");
                return ExitCodes.IoError;
            }
            return loop.Run();
        }
        catch (Exception e) when (e is IOException or ProtocolException or System.Net.Sockets.SocketException)
        {
            // EOF mid-message, broken framing, or the parent gone (EPIPE): xsnap exits 2.
            output.Log(e.Message);
            return ExitCodes.IoError;
        }
        catch (Exception e)
        {
            output.Log($"internal error: {e}");
            return ExitCodes.UnknownError;
        }
        finally
        {
            _ = warmUp;
        }
    }
}
