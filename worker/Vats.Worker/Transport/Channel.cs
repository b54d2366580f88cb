using Microsoft.Win32.SafeHandles;
using System.Net.Sockets;
using Vats.Protocol;

namespace Vats.Worker.Transport;

/// <summary>
/// Where commands come from and replies go: xsnap's file descriptors (3 in, 4 out, snapshots on 7 and 8) or one
/// Unix domain socket. Both carry the same netstrings; they differ only in where snapshot bytes travel.
/// </summary>
internal abstract class Channel : IDisposable
{
    private readonly NetstringReader _reader;

    protected Channel(Stream input, Stream output)
    {
        Input = input;
        Output = output;
        // The worker accepts what xsnap-worker accepts: any length its 9-digit prefix can state.
        _reader = new NetstringReader(input);
    }

    protected Stream Input { get; }

    protected Stream Output { get; }

    /// <summary>The next message, or null when the parent closed its end.</summary>
    internal byte[]? Read() => _reader.Read();

    /// <summary>Writes one message and flushes it.</summary>
    internal void Write(byte tag, ReadOnlySpan<byte> first = default, ReadOnlySpan<byte> second = default) =>
        NetstringWriter.Write(Output, tag, first, second);

    /// <summary>Writes a snapshot where <paramref name="target"/> (the <c>w</c> payload) says; returns its size.</summary>
    internal abstract long WriteSnapshot(string target, byte[] engineSnapshot);

    /// <summary>Reads the snapshot named by <c>-r</c>.</summary>
    internal static byte[] ReadSnapshot(string source)
    {
        if (source.StartsWith('@'))
        {
            var fd = ParseFd(source);
            // Not disposed: xsnap's parent never closes the descriptor, and the format says where the snapshot ends.
            var stream = OpenFd(fd, FileAccess.Read);
            return WorkerSnapshot.ReadFrom(stream);
        }
        using var file = File.OpenRead(source);
        return WorkerSnapshot.ReadFrom(file);
    }

    /// <summary>Writes header and body to <paramref name="stream"/>; returns the byte count.</summary>
    protected static long WriteSnapshotTo(Stream stream, byte[] engineSnapshot)
    {
        stream.Write(WorkerSnapshot.Header(engineSnapshot.Length));
        stream.Write(engineSnapshot);
        stream.Flush();
        return WorkerSnapshot.SizeFor(engineSnapshot.Length);
    }

    /// <summary>The number in <c>@FD</c> or <c>@FD:anything</c>.</summary>
    internal static int ParseFd(string text)
    {
        var digits = text.AsSpan(1);
        var colon = digits.IndexOf(':');
        if (colon >= 0) digits = digits[..colon];
        return int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var fd) && fd >= 0
            ? fd
            : throw new IOException($"'{text}' does not name a file descriptor (@FD or @FD:description)");
    }

    /// <summary>A stream on an inherited descriptor (a pipe or a socket, as Node's spawn makes them).</summary>
    internal static Stream OpenFd(int fd, FileAccess access) =>
        new FileStream(new SafeFileHandle(fd, ownsHandle: false), access, bufferSize: 0);

    public virtual void Dispose()
    {
        Input.Dispose();
        Output.Dispose();
    }
}

/// <summary>xsnap mode: commands on fd 3, replies on fd 4, snapshots written to <c>@FD</c> (fd 7) or a file.</summary>
internal sealed class FdChannel() : Channel(OpenFd(CheckedCommandFd(), FileAccess.Read), OpenFd(4, FileAccess.Write))
{
    /// <summary>
    /// fd 3, after checking that the parent opened it. When it did not, the .NET runtime's own internal pipe takes
    /// fds 3 and 4 at start-up, and reading it would hang; on Linux that shows as both descriptors naming one pipe.
    /// </summary>
    private static int CheckedCommandFd()
    {
        static string? Target(int fd)
        {
            try
            {
                return new FileInfo($"/proc/self/fd/{fd}").LinkTarget;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
        var commands = Target(3);
        if (commands is not null && commands.StartsWith("pipe:", StringComparison.Ordinal) && commands == Target(4))
            throw new IOException("fds 3 and 4 were not given to this process: xsnap mode reads commands on fd 3 and writes replies on fd 4 " +
                "(as @agoric/xsnap starts xsnap-worker); use --socket PATH otherwise");
        return 3;
    }

    private readonly Dictionary<int, Stream> _snapshotStreams = [];

    internal override long WriteSnapshot(string target, byte[] engineSnapshot)
    {
        if (target.StartsWith('@'))
        {
            var fd = ParseFd(target);
            // Left open for the next snapshot, as xsnap leaves fd 7 open.
            if (!_snapshotStreams.TryGetValue(fd, out var stream)) _snapshotStreams[fd] = stream = OpenFd(fd, FileAccess.Write);
            return WriteSnapshotTo(stream, engineSnapshot);
        }
        using var file = new FileStream(target, FileMode.Create, FileAccess.Write);
        return WriteSnapshotTo(file, engineSnapshot);
    }
}

/// <summary>
/// Socket mode: one connected Unix domain socket carries commands, replies and snapshots (a <see cref="Tags.SnapshotData"/>
/// message before the reply to <c>w</c>); the worker speaks first with a <see cref="Hello"/>.
/// </summary>
internal sealed class SocketChannel : Channel
{
    private SocketChannel(NetworkStream stream) : base(stream, stream)
    {
    }

    internal static SocketChannel Connect(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            socket.SendBufferSize = NetstringWriter.SocketSendBufferBytes;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new SocketChannel(new NetworkStream(socket, ownsSocket: true));
    }

    internal override long WriteSnapshot(string target, byte[] engineSnapshot)
    {
        Write(Tags.SnapshotData, WorkerSnapshot.Header(engineSnapshot.Length), engineSnapshot);
        return WorkerSnapshot.SizeFor(engineSnapshot.Length);
    }

    public override void Dispose() => Input.Dispose();
}
