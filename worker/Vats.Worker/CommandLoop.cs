using System.Text;
using Vats.Protocol;
using Vats.QuickJs;
using Vats.Wasm.Errors;
using Vats.Worker.BootImages;
using Vats.Worker.Checkpoints;
using Vats.Worker.Transport;

namespace Vats.Worker;

/// <summary>
/// xsnap-worker's command loop: read a command, run it as one crank (the command, then the event loop to
/// quiescence, metered as a whole), reply, repeat until <c>q</c> or the end of the command stream. Resource faults
/// end the process with xsnap's exit codes and no reply. Boot commands may be answered from the boot-image cache.
/// </summary>
internal sealed class CommandLoop
{
    private readonly WorkerOptions _options;
    private readonly Channel _channel;
    private readonly WorkerOutput _output;
    private readonly EngineOptions _engineOptions;
    private readonly BootImageCache? _cache;
    private readonly BootChain _chain;
    private readonly MeterReport _meter = new();
    // The memory as of the last checkpoint or load, page by page: what a delta checkpoint is relative to.
    private readonly PageTracker _pages = new();

    // The boot sources evaluated so far while the chain is intact: re-evaluated if a boot image fails to restore.
    private readonly List<byte[]> _bootSources = [];
    private QuickJsEngine? _engine;
    // A QuickJS instance made ahead for a checkpoint load (a worker warmed up for a pool).
    private RestoreTarget? _restoreTarget;
    // The boot image the worker's state is in but has not restored yet: the next boot step may skip it.
    private byte[]? _pending;
    private bool _lastThrew;
    private int _upcalls;
    private List<string>? _prints;
    private bool _replaying;

    internal CommandLoop(WorkerOptions options, Channel channel, WorkerOutput output, byte[]? startSnapshot)
    {
        _options = options;
        _channel = channel;
        _output = output;
        _engineOptions = new EngineOptions
        {
            MemoryLimitBytes = options.MemoryLimitBytes,
            MemoryLimitAborts = true,
            FuelPerCall = options.MeterLimit,
            Print = Print,
            CommandHandler = IssueCommand,
        };
        _chain = new BootChain(_engineOptions);
        if (options.BootCacheDirectory is not null && startSnapshot is null)
            _cache = new BootImageCache(options.BootCacheDirectory, options.BootCacheMaxEntries, output.Log);
        else
            _chain.Break();
        if (startSnapshot is not null) _engine = Restore(startSnapshot);
        else if (options.WarmUp && options.SocketPath is not null)
        {
            // A worker waiting in a pool is most likely to receive a checkpoint next: its QuickJS instance and the
            // memories of a restore are made now, while nobody waits for them.
            _restoreTarget = RestoreTarget.Prepare(_engineOptions);
            _pages.Reserve(checked((int)_restoreTarget.MemoryBytes));
        }
    }

    /// <summary>Serves commands until quit; returns the process exit code.</summary>
    internal int Run()
    {
        for (;;)
        {
            var message = _channel.Read();
            if (message is null) return Quit();
            if (message.Length == 0)
            {
                _output.Log("an empty message is not a command");
                return ExitCodes.IoError;
            }
            _meter.Start();
            // A snapshot may be loaded until the worker has an engine (R asks nothing of it).
            var fresh = _engine is null && _pending is null;
            var payload = message.AsMemory(1);
            var exit = message[0] switch
            {
                Tags.IsReady => Ready(),
                Tags.Evaluate => Evaluate(payload),
                Tags.Command => Crank(engine => engine.HandleCommand(payload)),
                Tags.RunScript => RunFile(payload, module: false),
                Tags.ImportModule => RunFile(payload, module: true),
                Tags.WriteSnapshot => WriteSnapshot(Encoding.UTF8.GetString(payload.Span)),
                Tags.Quit => Quit(),
                Tags.LoadSnapshot when _channel is SocketChannel && fresh => LoadSnapshot(payload),
                Tags.Checkpoint when _channel is SocketChannel => Checkpoint(full: payload.Span.SequenceEqual("full"u8)),
                Tags.LoadSnapshot when _channel is SocketChannel => Fail("a snapshot can only be loaded before any other command used the engine"),
                _ => Fail($"Unexpected prefix '{Printable(message[0])}'"),
            };
            if (exit is { } code) return code;
        }
    }

    private int? Ready()
    {
        _channel.Write(Tags.Ok);
        return null;
    }

    private int? Evaluate(ReadOnlyMemory<byte> source)
    {
        if (!_chain.Intact) return Crank(engine => engine.EvaluateCommand(source));
        var key = _chain.Next(source.Span);
        if (_cache!.TryLoad(key) is { } image)
        {
            // The state after this command is a stored image: answer as evaluating would, restore it when needed.
            _engine?.Dispose();
            _engine = null;
            _pending = key;
            _chain.Advance(key);
            _bootSources.Add(source.ToArray());
            foreach (var line in image.Prints) _output.Print(line);
            ReplyOk(image.HeapCount, image.Compute, image.Allocate, image.Reply);
            _lastThrew = false;
            return null;
        }
        var engine = Engine();
        _upcalls = 0;
        _prints = [];
        var outcome = engine.EvaluateCommand(source);
        var prints = _prints;
        _prints = null;
        if (outcome.Kind == CommandOutcomeKind.Replied && _upcalls == 0)
        {
            _chain.Advance(key);
            _bootSources.Add(source.ToArray());
            _cache.Store(key, new BootImage(outcome.Reply, outcome.Compute, engine.LiveAllocations, engine.MemoryBytes, prints), engine.Snapshot());
        }
        else
        {
            BreakChain();
        }
        return Finish(outcome, engine, bareReplies: false);
    }

    private int? Crank(Func<QuickJsEngine, CommandOutcome> run)
    {
        var engine = Engine();
        BreakChain();
        return Finish(run(engine), engine, bareReplies: false);
    }

    private int? RunFile(ReadOnlyMemory<byte> payload, bool module)
    {
        var engine = Engine();
        BreakChain();
        var path = Path.GetFullPath(Encoding.UTF8.GetString(payload.Span));
        byte[] source;
        try
        {
            source = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _output.Log($"cannot read {path}: {e.Message}");
            _channel.Write(Tags.Error);
            _lastThrew = true;
            return null;
        }
        var outcome = module
            ? engine.ImportModuleCommand(source, path, name => File.Exists(name) ? File.ReadAllText(name) : null)
            : engine.EvaluateCommand(source, path);
        if (outcome.Kind == CommandOutcomeKind.Threw) _output.Log($"{path}: {outcome.ErrorText}");
        return Finish(outcome, engine, bareReplies: true);
    }

    private int? WriteSnapshot(string target)
    {
        var engine = Engine();
        long size;
        try
        {
            size = _channel.WriteSnapshot(target, engine.Snapshot());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _output.Log($"cannot write the snapshot to {target}: {e.Message}");
            return ExitCodes.IoError;
        }
        ReplyOk(engine.LiveAllocations, 0, engine.MemoryBytes, Encoding.ASCII.GetBytes(size.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return null;
    }

    /// <summary>
    /// Sends a checkpoint: the engine state without memory and the memory pages changed since the previous checkpoint
    /// or load (all non-zero pages when <paramref name="full"/> or when there was none). Changes nothing in the vat.
    /// </summary>
    private int? Checkpoint(bool full)
    {
        var engine = Engine();
        var state = engine.SnapshotWithoutMemory();
        var memory = engine.Memory;
        int count;
        try
        {
            if (!full && _pages.HasBase)
            {
                var delta = _pages.AdvanceDelta(memory);
                count = delta.Count;
                _channel.Write(Tags.CheckpointData, WorkerCheckpoint.EncodeDelta(state, memory.Length, delta.Pages, delta.PatchLengths, delta.Patches));
            }
            else
            {
                var pages = _pages.AdvanceFull(memory);
                count = pages.Count;
                _channel.Write(Tags.CheckpointData, WorkerCheckpoint.Encode(state, memory, pages));
            }
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            _output.Log($"cannot send the checkpoint: {e.Message}");
            return ExitCodes.IoError;
        }
        ReplyOk(engine.LiveAllocations, 0, engine.MemoryBytes, Encoding.ASCII.GetBytes(count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return null;
    }

    private int? LoadSnapshot(ReadOnlyMemory<byte> payload)
    {
        BreakChain();
        _engine?.Dispose();
        try
        {
            if (WorkerCheckpoint.IsCheckpoint(payload.Span))
            {
                var checkpoint = WorkerCheckpoint.Decode(payload);
                if (checkpoint.IsDelta) throw new ProtocolException("a worker starts from a full checkpoint, not a delta");
                if (_restoreTarget is { IsAvailable: true } target && target.MemoryToFill(checkpoint.MemoryBytes) is { IsEmpty: false } inPlace)
                {
                    // Straight into the instance made ahead; the page tracker's copy is taken after the reply.
                    checkpoint.BuildMemoryInto(inPlace);
                    _engine = QuickJsEngine.Restore(checkpoint.State.Span, inPlace, target);
                    _pages.Forget();
                }
                else
                {
                    var memory = _pages.Rent(checkpoint.MemoryBytes);
                    checkpoint.BuildMemoryInto(memory);
                    _engine = QuickJsEngine.Restore(checkpoint.State.Span, memory, _engineOptions, memoryLimitFromOptions: true);
                    // The engine copied the memory in; the array is the engine's memory as loaded, and nothing else keeps it.
                    _pages.Adopt(memory, _engine.Memory);
                }
                _engine.MeterLimit = _options.MeterLimit;
            }
            else
            {
                DropRestoreAids();
                _engine = Restore(WorkerSnapshot.Unwrap(payload.Span).ToArray());
                _pages.Reset(_engine.Memory);
            }
        }
        catch (Exception e) when (IsSnapshotProblem(e))
        {
            _output.Log($"cannot read snapshot: {e.Message}");
            return ExitCodes.IoError;
        }
        _channel.Write(Tags.Ok);
        // Once the client has its answer: the copy of the loaded memory that the next checkpoint compares with.
        if (!_pages.HasBase) _pages.Reset(_engine!.Memory);
        return null;
    }

    private int Quit()
    {
        _cache?.Flush(TimeSpan.FromSeconds(30));
        return _lastThrew ? ExitCodes.UnhandledException : ExitCodes.Success;
    }

    private int Fail(string problem)
    {
        _output.Log(problem);
        return ExitCodes.IoError;
    }

    /// <summary>Replies to a finished crank, or returns the exit code that ends the worker.</summary>
    private int? Finish(CommandOutcome outcome, QuickJsEngine engine, bool bareReplies)
    {
        switch (outcome.Kind)
        {
            case CommandOutcomeKind.Replied:
                ReplyOk(engine.LiveAllocations, outcome.Compute, engine.MemoryBytes, bareReplies ? [] : outcome.Reply);
                _lastThrew = false;
                return null;
            case CommandOutcomeKind.Threw:
                _channel.Write(Tags.Error, bareReplies ? [] : Encoding.UTF8.GetBytes(outcome.ErrorText));
                _lastThrew = true;
                return null;
            case CommandOutcomeKind.FuelExhausted:
                _output.Log($"compute meter exceeded (limit {_options.MeterLimit})");
                return ExitCodes.TooMuchComputation;
            case CommandOutcomeKind.MemoryExhausted:
                _output.Log($"allocate meter exceeded (heap limit {_options.MemoryLimitBytes} bytes)");
                return ExitCodes.NotEnoughMemory;
            default:
                _output.Log($"uncaught exception in the event loop: {outcome.ErrorText}");
                return ExitCodes.UnknownError;
        }
    }

    private void ReplyOk(long heapCount, long compute, long allocate, ReadOnlySpan<byte> reply) =>
        _channel.Write(Tags.Ok, _meter.Finish(heapCount, compute, allocate), reply);

    /// <summary>The engine, restoring the pending boot image or creating a fresh engine first.</summary>
    private QuickJsEngine Engine()
    {
        if (_engine is not null) return _engine;
        DropRestoreAids();
        if (_pending is not { } pending) return _engine = QuickJsEngine.Create(_engineOptions);
        _pending = null;
        try
        {
            return _engine = Restore(_cache!.LoadSnapshot(pending));
        }
        catch (Exception e) when (IsSnapshotProblem(e))
        {
            _output.Log($"boot image {Convert.ToHexStringLower(pending)} did not restore ({e.Message}); evaluating the boot sources again");
            _cache!.Remove(pending);
        }
        var engine = _engine = QuickJsEngine.Create(_engineOptions);
        _replaying = true;
        try
        {
            CommandOutcome? last = null;
            foreach (var source in _bootSources)
            {
                _prints = [];
                last = engine.EvaluateCommand(source);
                if (last.Kind != CommandOutcomeKind.Replied)
                    throw new InvalidOperationException($"a boot source that replied before now ended with: {last}");
            }
            // The damaged image is written anew, so the next worker restores again.
            if (last is not null)
                _cache!.Store(pending, new BootImage(last.Reply, last.Compute, engine.LiveAllocations, engine.MemoryBytes, _prints!), engine.Snapshot());
        }
        finally
        {
            _replaying = false;
            _prints = null;
        }
        return engine;
    }

    /// <summary>Lets go of what was made ahead for a checkpoint load, once the worker's engine comes from elsewhere.</summary>
    private void DropRestoreAids()
    {
        _restoreTarget?.Dispose();
        _restoreTarget = null;
        _pages.DropReserve();
    }

    private QuickJsEngine Restore(byte[] engineSnapshot)
    {
        // The command line's limits apply, not those the snapshot was taken under (as xsnap's -l).
        var engine = QuickJsEngine.Restore(engineSnapshot, _engineOptions, memoryLimitFromOptions: true);
        engine.MeterLimit = _options.MeterLimit;
        return engine;
    }

    /// <summary>A command that is not a boot step ran: the pending image (if any) is the state it ran on.</summary>
    private void BreakChain()
    {
        if (!_chain.Intact) return;
        _chain.Break();
        _bootSources.Clear();
    }

    private static bool IsSnapshotProblem(Exception e) =>
        e is SnapshotException or ProtocolException or QuickJsBinaryException or ArgumentException or InvalidDataException;

    private void Print(string line)
    {
        _prints?.Add(line);
        if (!_replaying) _output.Print(line);
    }

    /// <summary>xsnap's <c>issueCommand</c>: send an upcall, block until the parent answers with <c>/</c>.</summary>
    private byte[] IssueCommand(byte[] request)
    {
        _upcalls++;
        _meter.Stamp();
        byte[]? reply;
        try
        {
            _channel.Write(Tags.Upcall, request);
            reply = _channel.Read();
        }
        catch (Exception e) when (e is IOException or ProtocolException)
        {
            // Inside JavaScript an exception would become a JS error; the worker is done, as xsnap's is.
            _output.Log($"upcall failed: {e.Message}");
            _output.Exit(ExitCodes.IoError);
            throw;
        }
        if (reply is null)
        {
            _output.Log("the parent closed the command stream while an upcall waited for its answer");
            _output.Exit(ExitCodes.IoError);
        }
        _meter.Stamp();
        if (reply.Length == 0 || reply[0] != Tags.UpcallReply) throw new JsException("Error", "Received unexpected command reply.");
        return reply[1..];
    }

    private static string Printable(byte b) => b is >= 0x20 and < 0x7f ? ((char)b).ToString() : $"0x{b:x2}";
}
