namespace Vats.QuickJs;

/// <summary>
/// xsnap's commands as the worker runs them (the crank semantics of xsnap-worker): run the command, always run the
/// event loop to quiescence, and only then look at the command's value for the reply. The whole crank is one meter
/// period: fuel index 0 and limit <see cref="MeterLimit"/> at its start, and its <see cref="CommandOutcome.Compute"/>
/// counts the command, its promise jobs and its <c>setImmediate</c> callbacks.
/// </summary>
public sealed partial class QuickJsEngine
{
    private const int EvalTypeModule = 1;
    private bool _moduleLoaderEnabled;

    /// <summary>
    /// xsnap's <c>e</c> command: evaluates <paramref name="utf8Source"/> as a sloppy global script (as
    /// <c>globalThis.eval(source)</c>), then runs the event loop. The reply is the completion value (or its
    /// <c>result</c> property) when that is an ArrayBuffer.
    /// </summary>
    public CommandOutcome EvaluateCommand(ReadOnlyMemory<byte> utf8Source, string fileName = "eval.js") =>
        Command(() => EvalBox(utf8Source.Span, fileName, 0));

    /// <summary>
    /// xsnap's <c>?</c> command: calls <c>globalThis.handleCommand</c> (looked up now, as the supervisor may replace it)
    /// with a new ArrayBuffer holding <paramref name="message"/>, then runs the event loop. The reply is the returned
    /// value's <c>result</c> property (the report-object idiom: set it before the loop goes idle) or the value itself,
    /// when that is an ArrayBuffer.
    /// </summary>
    public CommandOutcome HandleCommand(ReadOnlyMemory<byte> message) => Command(() =>
    {
        var global = _native.GetGlobalObject(_ctx);
        var handler = GetProperty(global, "handleCommand");
        _native.FreeValue(_ctx, global);
        var buffer = ToBox(HostValue.Bytes(message.Span));
        try
        {
            return Invoke(handler, [buffer]);
        }
        finally
        {
            _native.FreeValue(_ctx, buffer);
            _native.FreeValue(_ctx, handler);
        }
    });

    /// <summary>
    /// xsnap's <c>m</c> command: evaluates <paramref name="utf8Source"/> as an ES module named
    /// <paramref name="fileName"/>, then runs the event loop. Its static imports are resolved relative to the importing
    /// module's name and read through <paramref name="loadModule"/> (null: not found).
    /// </summary>
    public CommandOutcome ImportModuleCommand(ReadOnlyMemory<byte> utf8Source, string fileName, Func<string, string?> loadModule)
    {
        _loadModule = loadModule;
        try
        {
            return Command(() =>
            {
                if (!_moduleLoaderEnabled)
                {
                    _native.RuntimeEnableModuleLoader(_rt, 0);
                    _moduleLoaderEnabled = true;
                }
                return EvalBox(utf8Source.Span, fileName, EvalTypeModule);
            });
        }
        finally
        {
            _loadModule = null;
        }
    }

    private Func<string, string?>? _loadModule;

    /// <summary>The module loader's answer for a normalized module name: a malloc'ed source, or 0 with a pending error.</summary>
    private int LoadModuleSource(string name)
    {
        string? source;
        try
        {
            source = _loadModule?.Invoke(name);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            source = null;
        }
        if (source is not null) return _native.MallocCString(source);
        var error = _native.NewError(_ctx);
        var message = NewString($"module not found: {name}");
        SetProperty(error, "message", message);
        _native.FreeValue(_ctx, message);
        _native.FreeValue(_ctx, _native.Throw(_ctx, error));
        _native.FreeValue(_ctx, error);
        return 0;
    }

    private (int Value, int Error) EvalBox(ReadOnlySpan<byte> utf8Source, string fileName, int flags)
    {
        var codePointer = _native.MallocCString(utf8Source);
        var filePointer = _native.MallocCString(fileName);
        var result = _native.Eval(_ctx, codePointer, utf8Source.Length, filePointer, 0, flags);
        _native.Free(codePointer);
        _native.Free(filePointer);
        var error = _native.ResolveException(_ctx, result);
        if (error == 0) return (result, 0);
        _native.FreeValue(_ctx, result);
        return (0, error);
    }

    private CommandOutcome Command(Func<(int Value, int Error)> start)
    {
        ThrowIfUnusable();
        if (_native.InCall) throw new InvalidOperationException("an xsnap command cannot run inside a host function");
        try
        {
            return CommandOperation(start);
        }
        catch (MemoryLimitExceededException)
        {
            return CommandOutcome.OutOfMemory(_native.FuelUsed);
        }
    }

    private CommandOutcome CommandOperation(Func<(int Value, int Error)> start)
    {
        return Operation(() =>
        {
            EnsureCommandHelpers();
            var (value, error) = start();
            var errorText = error != 0 ? ErrorTextAndFree(error) : null;
            try
            {
                var loop = RunLoop();
                var compute = _native.FuelUsed;
                if (!loop.IsValue) return CommandOutcome.Aborted(loop.Error!.ToString(), compute);
                if (errorText is not null) return CommandOutcome.Threw(errorText, compute);
                return CommandOutcome.Replied(ReplyBytes(value), compute);
            }
            finally
            {
                // After a trap (fuel, memory) the instance is faulted: nothing may be called, nothing needs freeing.
                if (value != 0 && !IsFaulted) _native.FreeValue(_ctx, value);
            }
        },
        () => CommandOutcome.OutOfFuel(_native.FuelUsed),
        e => CommandOutcome.Threw("InternalError: out of memory", _native.FuelUsed));
    }

    /// <summary>The reply bytes of a command's value (see <see cref="HandleCommand"/>); empty when it has none.</summary>
    private byte[] ReplyBytes(int value)
    {
        var (reply, error) = Invoke(_helpers.ReplyOf, [value]);
        if (error != 0)
        {
            _native.FreeValue(_ctx, error);
            return [];
        }
        try
        {
            return TypeOfBox(reply) == "undefined" ? [] : ReadBytes(reply);
        }
        finally
        {
            _native.FreeValue(_ctx, reply);
        }
    }

    /// <summary><c>String(error)</c>, as xsnap's <c>!</c> reply carries it; frees the error box.</summary>
    private string ErrorTextAndFree(int error)
    {
        var (text, failure) = Invoke(_helpers.ErrorText, [error]);
        _native.FreeValue(_ctx, error);
        if (failure != 0)
        {
            _native.FreeValue(_ctx, failure);
            return "(the thrown value could not be described)";
        }
        var result = ReadString(text);
        _native.FreeValue(_ctx, text);
        return result;
    }

    /// <summary>Engines restored from snapshots of earlier versions lack the command helpers: make them once.</summary>
    private void EnsureCommandHelpers()
    {
        if (_helpers.ReplyOf != 0 && _helpers.ErrorText != 0) return;
        var helpers = MakeHelpers();
        _helpers.ReplyOf = GetProperty(helpers, "replyOf");
        _helpers.ErrorText = GetProperty(helpers, "errorText");
        _native.FreeValue(_ctx, helpers);
    }
}
