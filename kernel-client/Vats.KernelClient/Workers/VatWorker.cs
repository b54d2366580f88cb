using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vats.Protocol;
using Vats.QuickJs.Native;

namespace Vats.KernelClient;

/// <summary>
/// One worker process in socket mode and the xsnap protocol to it: evaluate, commands with synchronous upcalls,
/// snapshots, quit. Commands are strictly one at a time (a baton, as xsnap's parent keeps). A command is never
/// abandoned while the worker lives: cancelling one, a protocol error, or an upcall handler that throws kills the
/// worker, so a late reply can never be taken for the answer to a newer command; every later call then throws.
/// </summary>
public sealed class VatWorker : IAsyncDisposable
{
    private readonly Process _process;
    private readonly NetworkStream _stream;
    private readonly NetstringReader _reader;
    private readonly SemaphoreSlim _baton = new(1, 1);
    private readonly ILogger _logger;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _killedBecause;

    private VatWorker(Process process, NetworkStream stream, Hello hello, VatWorkerOptions options, ILogger logger)
    {
        _process = process;
        _stream = stream;
        Hello = hello;
        Name = options.Name;
        _logger = logger;
        _reader = new NetstringReader(stream, tag => tag is Tags.SnapshotData or Tags.CheckpointData ? options.MaxSnapshotBytes : options.MaxMessageBytes);
    }

    /// <summary>The name given in the options.</summary>
    public string Name { get; }

    /// <summary>What the worker said about itself when it connected.</summary>
    public Hello Hello { get; }

    /// <summary>The worker's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Completes with the exit code when the process has ended (128 + N when killed by signal N).</summary>
    public Task<int> Exited => _exited.Task;

    /// <summary>True until the process ended or was killed.</summary>
    public bool IsRunning => !_exited.Task.IsCompleted && _killedBecause is null;

    /// <summary>
    /// Starts a worker process, waits for it to connect and checks its hello; then, if <paramref name="snapshot"/> is
    /// not empty, has it start from that snapshot (the bytes <see cref="SnapshotAsync"/> returned, from any process).
    /// </summary>
    public static async Task<VatWorker> StartAsync(VatWorkerOptions? options = null, ReadOnlyMemory<byte> snapshot = default,
        CancellationToken cancellationToken = default)
    {
        options ??= new VatWorkerOptions();
        if (options.Name.StartsWith('-')) throw new ArgumentException("a worker name must not start with '-'", nameof(options));
        var logger = options.Logger ?? NullLogger.Instance;
        var (program, leading) = WorkerLocator.Locate(options.WorkerPath);
        var folder = Directory.CreateTempSubdirectory("vats-");
        var socketPath = Path.Combine(folder.FullName, "w.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        // Killed in the finally block unless the worker object took it over.
        Process? unowned = null;
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(socketPath));
            listener.Listen(1);
            var process = unowned = Spawn(program, leading, options, socketPath, logger);
            var exited = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            process.Exited += (_, _) => exited.TrySetResult(ExitCodeOf(process));
            if (process.HasExited) exited.TrySetResult(ExitCodeOf(process));

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.HandshakeTimeout);
            var accept = listener.AcceptAsync(timeout.Token).AsTask();
            var first = await Task.WhenAny(accept, exited.Task).ConfigureAwait(false);
            if (first == exited.Task)
                throw new WorkerExitedException($"worker {options.Name}", await exited.Task.ConfigureAwait(false), "before it connected");
            Socket connection;
            try
            {
                connection = await accept.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new WorkerHandshakeException($"worker {options.Name} did not connect within {options.HandshakeTimeout}");
            }
            connection.SendBufferSize = NetstringWriter.SocketSendBufferBytes;
            var stream = new NetworkStream(connection, ownsSocket: true);
            var hello = await ReadHelloAsync(stream, options, timeout.Token, cancellationToken).ConfigureAwait(false);
            var worker = new VatWorker(process, stream, hello, options, logger);
            exited.Task.ContinueWith(t => worker._exited.TrySetResult(t.Result), TaskScheduler.Default).Ignore();
            logger.LogDebug("worker {Name} (pid {Pid}) connected: worker {Version}, protocol {Protocol}", options.Name, process.Id, hello.Worker, hello.Protocol);
            if (!snapshot.IsEmpty) await worker.LoadAsync(snapshot, cancellationToken).ConfigureAwait(false);
            unowned = null;
            return worker;
        }
        finally
        {
            if (unowned is not null) KillQuietly(unowned);
            try
            {
                folder.Delete(recursive: true);
            }
            catch (IOException)
            {
                // The socket file is gone with the folder or stays in the temporary folder; nothing depends on it.
            }
        }
    }

    /// <summary>Evaluates <paramref name="source"/> as a global script (xsnap's <c>e</c>); the reply is its ArrayBuffer value, if any.</summary>
    public Task<WorkerReply> EvaluateAsync(string source, CancellationToken cancellationToken = default) =>
        RunAsync(Tags.Evaluate, Encoding.UTF8.GetBytes(source), null, cancellationToken);

    /// <summary>
    /// Calls the worker's <c>handleCommand</c> with <paramref name="message"/> (xsnap's <c>?</c>). Each upcall the
    /// worker makes meanwhile is answered by <paramref name="upcall"/>, synchronously, in order; if it throws, the
    /// worker is killed and the exception propagates.
    /// </summary>
    public Task<WorkerReply> CommandAsync(ReadOnlyMemory<byte> message, Func<byte[], byte[]>? upcall, CancellationToken cancellationToken = default) =>
        RunAsync(Tags.Command, message, upcall, cancellationToken);

    /// <summary>Asks whether the worker is ready (xsnap's <c>R</c>).</summary>
    public Task IsReadyAsync(CancellationToken cancellationToken = default) =>
        RunAsync(Tags.IsReady, ReadOnlyMemory<byte>.Empty, null, cancellationToken);

    /// <summary>
    /// Takes a heap snapshot (xsnap's <c>w</c>) and returns its bytes. Taken between commands, it holds the whole vat
    /// state; <see cref="StartAsync"/> continues from it in a new process exactly as this one would.
    /// </summary>
    public async Task<byte[]> SnapshotAsync(CancellationToken cancellationToken = default)
    {
        byte[]? snapshot = null;
        var reply = await RunAsync(Tags.WriteSnapshot, "@socket"u8.ToArray(), null, cancellationToken, (Tags.SnapshotData, data => snapshot = data)).ConfigureAwait(false);
        var announced = Encoding.ASCII.GetString(reply.Bytes);
        if (snapshot is null || !long.TryParse(announced, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size != snapshot.Length)
        {
            Kill("its snapshot reply did not match its snapshot");
            throw new WorkerProtocolException($"worker {Name} announced a snapshot of '{announced}' bytes but sent {snapshot?.Length.ToString(CultureInfo.InvariantCulture) ?? "none"}");
        }
        return snapshot;
    }

    /// <summary>
    /// Takes a checkpoint: the engine state without memory and memory pages — only those changed since the worker's
    /// previous checkpoint or start (<see cref="WorkerCheckpoint.IsDelta"/>), or every non-zero page when
    /// <paramref name="full"/> or when the worker has no previous one. A caller that uses deltas must keep every
    /// checkpoint it takes (each is relative to the one before); after losing one, ask for a full checkpoint.
    /// </summary>
    public async Task<WorkerCheckpoint> CheckpointAsync(bool full = false, CancellationToken cancellationToken = default)
    {
        byte[]? data = null;
        var reply = await RunAsync(Tags.Checkpoint, full ? "full"u8.ToArray() : ReadOnlyMemory<byte>.Empty, null, cancellationToken,
            (Tags.CheckpointData, bytes => data = bytes)).ConfigureAwait(false);
        WorkerCheckpoint checkpoint;
        try
        {
            checkpoint = data is null ? throw new ProtocolException("no checkpoint data came before the reply") : WorkerCheckpoint.Decode(data);
        }
        catch (ProtocolException e)
        {
            Kill("its checkpoint was malformed");
            throw new WorkerProtocolException($"worker {Name} sent a bad checkpoint: {e.Message}", e);
        }
        var announced = Encoding.ASCII.GetString(reply.Bytes);
        if (announced != checkpoint.PageIndexes.Count.ToString(CultureInfo.InvariantCulture))
        {
            Kill("its checkpoint reply did not match its checkpoint");
            throw new WorkerProtocolException($"worker {Name} announced {announced} checkpoint pages but sent {checkpoint.PageIndexes.Count}");
        }
        return checkpoint;
    }

    /// <summary>Asks the worker to quit (xsnap's <c>q</c>) and waits for it to exit; kills it after <paramref name="timeout"/> (default 10 s).</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        await _baton.WaitAsync().ConfigureAwait(false);
        try
        {
            if (IsRunning)
            {
                try
                {
                    await NetstringWriter.WriteAsync(_stream, Tags.Quit, ReadOnlyMemory<byte>.Empty).ConfigureAwait(false);
                    _stream.Socket.Shutdown(SocketShutdown.Send);
                }
                catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
                {
                    // Already gone: its exit code tells why.
                }
            }
            var wait = timeout ?? TimeSpan.FromSeconds(10);
            if (await Task.WhenAny(_exited.Task, Task.Delay(wait)).ConfigureAwait(false) != _exited.Task)
            {
                _logger.LogWarning("worker {Name} did not exit within {Timeout} of quit; killing it", Name, wait);
                Kill("it did not exit after quit");
            }
            return await _exited.Task.ConfigureAwait(false);
        }
        finally
        {
            _stream.Dispose();
            _baton.Release();
        }
    }

    /// <summary>Kills the worker process (and anything it started) now.</summary>
    public void Kill() => Kill("the client killed it");

    /// <summary>Stops the worker if it still runs (quit, then kill), and releases the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (IsRunning) await StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        else _stream.Dispose();
        _process.Dispose();
    }

    /// <summary>
    /// Has a worker that has not used its engine yet (a fresh or pooled one) continue from <paramref name="snapshot"/>:
    /// a worker snapshot (<see cref="SnapshotAsync"/>) or a full checkpoint (<see cref="WorkerCheckpoint"/>).
    /// </summary>
    public async Task LoadAsync(ReadOnlyMemory<byte> snapshot, CancellationToken cancellationToken = default) =>
        await RunAsync(Tags.LoadSnapshot, snapshot, null, cancellationToken).ConfigureAwait(false);

    private async Task<WorkerReply> RunAsync(byte tag, ReadOnlyMemory<byte> payload, Func<byte[], byte[]>? upcall,
        CancellationToken cancellationToken, (byte Tag, Action<byte[]> Handle)? data = null)
    {
        await _baton.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ThrowIfStoppedAsync().ConfigureAwait(false);
            // Cancelling a command that the worker may still answer would desynchronize the dialogue: kill instead.
            await using var registration = cancellationToken.Register(() => Kill("a command was cancelled")).ConfigureAwait(false);
            try
            {
                await NetstringWriter.WriteAsync(_stream, tag, payload).ConfigureAwait(false);
                for (;;)
                {
                    var message = await _reader.ReadAsync().ConfigureAwait(false);
                    if (message is null || message.Length == 0)
                    {
                        if (message is not null) throw Violation("an empty message");
                        cancellationToken.ThrowIfCancellationRequested();
                        await ThrowIfStoppedAsync(waitForExit: true).ConfigureAwait(false);
                        throw new WorkerProtocolException($"worker {Name} closed its connection");
                    }
                    switch (message[0])
                    {
                        case Tags.Ok:
                            return ParseOk(message);
                        case Tags.Error:
                            throw new WorkerCommandException($"worker {Name}", Encoding.UTF8.GetString(message.AsSpan(1)));
                        case Tags.Upcall when upcall is not null:
                            byte[] answer;
                            try
                            {
                                answer = upcall(message[1..]);
                            }
                            catch
                            {
                                Kill("its upcall handler threw");
                                throw;
                            }
                            await NetstringWriter.WriteAsync(_stream, Tags.UpcallReply, answer).ConfigureAwait(false);
                            break;
                        case var other when data is { } expected && other == expected.Tag:
                            expected.Handle(message[1..]);
                            break;
                        default:
                            throw Violation($"a message of type '{Printable(message[0])}' in answer to '{Printable(tag)}'");
                    }
                }
            }
            catch (ProtocolException e)
            {
                Kill("it broke the framing");
                throw new WorkerProtocolException($"worker {Name} sent a malformed message: {e.Message}", e);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                if (cancellationToken.IsCancellationRequested) throw new OperationCanceledException("the command was cancelled; the worker was killed", e, cancellationToken);
                await ThrowIfStoppedAsync(waitForExit: true).ConfigureAwait(false);
                Kill("its connection failed");
                throw new WorkerProtocolException($"the connection to worker {Name} failed: {e.Message}", e);
            }
        }
        finally
        {
            _baton.Release();
        }
    }

    private WorkerReply ParseOk(byte[] message)
    {
        var separator = Array.IndexOf(message, Tags.MeterSeparator, 1);
        if (separator < 0) return new WorkerReply(message[1..], null);
        MeterUsage meter;
        try
        {
            meter = LiveslotsJson.ParseMeterUsage(message.AsSpan(1, separator - 1));
        }
        catch (LiveslotsFormatException e)
        {
            throw Violation($"a meter report that does not parse ({e.Message})");
        }
        return new WorkerReply(message[(separator + 1)..], meter);
    }

    private WorkerProtocolException Violation(string what)
    {
        Kill("it broke the protocol");
        return new WorkerProtocolException($"worker {Name} sent {what}; it was killed");
    }

    /// <summary>Throws if the worker is known to be gone; with <paramref name="waitForExit"/>, waits briefly for its exit code first.</summary>
    private async Task ThrowIfStoppedAsync(bool waitForExit = false)
    {
        if (waitForExit && !_exited.Task.IsCompleted)
            await Task.WhenAny(_exited.Task, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        if (_killedBecause is { } reason)
            throw new VatWorkerException($"worker {Name} was killed because {reason}; start a new one");
        if (_exited.Task.IsCompleted)
            throw new WorkerExitedException($"worker {Name}", await _exited.Task.ConfigureAwait(false));
    }

    private void Kill(string reason)
    {
        if (_killedBecause is not null || _exited.Task.IsCompleted) return;
        _killedBecause = reason;
        _logger.LogWarning("killing worker {Name} (pid {Pid}): {Reason}", Name, _process.Id, reason);
        KillQuietly(_process);
        _stream.Dispose();
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // It has already exited.
        }
    }

    private static Process Spawn(string program, IReadOnlyList<string> leading, VatWorkerOptions options, string socketPath, ILogger logger)
    {
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
        };
        foreach (var argument in leading) start.ArgumentList.Add(argument);
        start.ArgumentList.Add(options.Name);
        start.ArgumentList.Add("--socket");
        start.ArgumentList.Add(socketPath);
        if (options.ComputeLimit is { } limit)
        {
            start.ArgumentList.Add("-l");
            start.ArgumentList.Add(limit.ToString(CultureInfo.InvariantCulture));
        }
        if (!options.UseBootCache) start.ArgumentList.Add("--no-boot-cache");
        else if (options.BootCacheDirectory is { } cache)
        {
            start.ArgumentList.Add("--boot-cache");
            start.ArgumentList.Add(cache);
        }
        if (options.WarmUp) start.ArgumentList.Add("--warm-up");
        if (options.MemoryLimitMiB is { } mib)
        {
            start.ArgumentList.Add("--memory-limit-mib");
            start.ArgumentList.Add(mib.ToString(CultureInfo.InvariantCulture));
        }
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null) logger.LogInformation("worker {Name} print: {Line}", options.Name, e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) logger.LogWarning("worker {Name}: {Line}", options.Name, e.Data);
        };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw new VatWorkerException($"the vats worker {program} could not be started: {e.Message}", e);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<Hello> ReadHelloAsync(NetworkStream stream, VatWorkerOptions options, CancellationToken timeout, CancellationToken caller)
    {
        byte[]? message;
        try
        {
            // A reader of its own: the hello is the only message before the command reader takes over, and it is small.
            message = await ReadOneAsync(stream, timeout).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!caller.IsCancellationRequested)
        {
            throw new WorkerHandshakeException($"worker {options.Name} connected but said nothing within {options.HandshakeTimeout}");
        }
        catch (ProtocolException e)
        {
            throw new WorkerHandshakeException($"worker {options.Name} did not start with a hello: {e.Message}", e);
        }
        if (message is null || message.Length == 0 || message[0] != Tags.Hello)
            throw new WorkerHandshakeException($"worker {options.Name} did not start with a hello message");
        Hello hello;
        try
        {
            hello = Hello.Parse(message.AsSpan(1));
        }
        catch (ProtocolException e)
        {
            throw new WorkerHandshakeException(e.Message, e);
        }
        if (hello.Protocol != Hello.CurrentProtocol)
            throw new WorkerHandshakeException($"worker {options.Name} speaks protocol {hello.Protocol}; this client speaks {Hello.CurrentProtocol}");
        var expected = options.ExpectedQuickJsSha256 ?? QuickJsBinary.Sha256;
        if (!string.Equals(hello.QuickJsSha256, expected, StringComparison.OrdinalIgnoreCase))
            throw new WorkerHandshakeException($"worker {options.Name} runs QuickJS wasm {hello.QuickJsSha256}; this client requires {expected}");
        if (hello.SnapshotFormat != WorkerSnapshot.FormatVersion)
            throw new WorkerHandshakeException($"worker {options.Name} writes snapshot format {hello.SnapshotFormat}; this client reads {WorkerSnapshot.FormatVersion}");
        return hello;
    }

    /// <summary>Reads exactly one netstring byte by byte (no read-ahead past it), for the hello.</summary>
    private static async Task<byte[]?> ReadOneAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var prefix = new List<byte>();
        var one = new byte[1];
        for (;;)
        {
            if (await stream.ReadAsync(one, cancellationToken).ConfigureAwait(false) == 0) return null;
            if (one[0] == (byte)':') break;
            if (one[0] is < (byte)'0' or > (byte)'9' || prefix.Count >= 6) throw new ProtocolException("a hello's length prefix is not a small number");
            prefix.Add(one[0]);
        }
        var length = int.Parse(Encoding.ASCII.GetString([.. prefix]), CultureInfo.InvariantCulture);
        var payload = new byte[length + 1];
        await stream.ReadExactlyAsync(payload, cancellationToken).ConfigureAwait(false);
        if (payload[^1] != (byte)',') throw new ProtocolException("a hello does not end with ','");
        return payload[..^1];
    }

    private static int ExitCodeOf(Process process)
    {
        try
        {
            return process.ExitCode;
        }
        catch (Exception e) when (e is InvalidOperationException or NullReferenceException or ObjectDisposedException)
        {
            // Not exited, or the Process object was already disposed (its exit event can still be on its way).
            return -1;
        }
    }

    private static string Printable(byte b) => b is >= 0x20 and < 0x7f ? ((char)b).ToString() : $"0x{b:x2}";
}

internal static class TaskExtensions
{
    /// <summary>Observes a task whose outcome nobody awaits.</summary>
    internal static void Ignore(this Task task) => task.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
}
