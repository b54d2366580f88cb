using Vats.QuickJs.Native;
using Vats.Wasm.Errors;

namespace Vats.QuickJs;

/// <summary>Host functions: the bridge the prelude turns into worker globals, user functions, and the import answers behind them.</summary>
public sealed partial class QuickJsEngine
{
    /// <summary>Prefix of the engine's own host-function names (user names cannot collide with it in practice).</summary>
    internal const string BuiltInPrefix = "vats:";

    /// <summary>Functions on the bridge object handed to each prelude file.</summary>
    private static readonly string[] BuiltInBridgeFunctions =
        ["print", "issueCommand", "setImmediate", "currentMeterLimit", "meterIndex", "setMeterLimit", "setMeterIndex", "requestCollection",
         "utf8Encode", "utf8Decode", "base64Encode", "base64Decode"];

    /// <summary>
    /// Offset of <c>JSRuntime.malloc_gc_threshold</c> in the pinned build. QuickJS collects when an object is created
    /// while its accounted allocation size exceeds this threshold; setting it to 0 makes the next object creation
    /// collect. Checked at start-up: a new runtime holds 256 KiB there.
    /// </summary>
    internal const int GcThresholdOffset = 108;

    internal const int InitialGcThreshold = 256 * 1024;

    /// <summary>
    /// Offset of <c>JSRuntime.malloc_state.malloc_count</c> in the pinned build (after the four allocator function
    /// pointers). The layout is the one <see cref="GcThresholdOffset"/> is checked against at start-up.
    /// </summary>
    internal const int MallocCountOffset = 16;

    private void RegisterBuiltIns()
    {
        _callbacks[BuiltInPrefix + "print"] = call =>
        {
            _print(call.GetString(0));
            return HostValue.Undefined;
        };
        _callbacks[BuiltInPrefix + "issueCommand"] = call => HostValue.Bytes(_commandHandler(call.GetBytes(0)));
        _callbacks[BuiltInPrefix + "setImmediate"] = QueueMacrotask;
        _callbacks[BuiltInPrefix + "requestCollection"] = _ =>
        {
            _native.WriteInt32(_rt + GcThresholdOffset, 0);
            return HostValue.Undefined;
        };
        RegisterMeterBuiltIns();
        RegisterCodecBuiltIns();
    }

    /// <summary>Makes a JS function (owned box) whose calls reach the callback registered as <paramref name="callbackName"/>.</summary>
    private int NewHostFunction(string callbackName, string jsName)
    {
        if (!_callbacks.ContainsKey(callbackName)) throw new ArgumentException($"no host function named {callbackName}", nameof(callbackName));
        var id = _hostFunctions.Add(callbackName, _callbacks[callbackName]);
        var name = _native.MallocCString(jsName);
        var function = _native.NewFunctionRaw(_ctx, name, 0, id);
        _native.Free(name);
        return function;
    }

    private HostFunctionCallback ResolveCallback(string name) =>
        _callbacks.TryGetValue(name, out var callback)
            ? callback
            : throw new ArgumentException($"the snapshot refers to host function \"{name}\", which EngineOptions.HostFunctions does not define");

    private int CallHostFunction(int thisPointer, int argc, int argv, int hostRefId)
    {
        _ = thisPointer;
        if (!_hostFunctions.TryGet(hostRefId, out var entry)) return 0;
        var call = new HostCall(this, entry.Name, argc, argv);
        try
        {
            return ToBox(entry.Callback(call));
        }
        catch (Exception e) when (e is not WasmException and not EngineFaultedException and not FuelExhaustedException
                                      and not MemoryLimitExceededException)
        {
            return ThrowIntoJs(e);
        }
        finally
        {
            call.Invalidate();
        }
    }

    /// <summary>A new box for a host function's result (0 = undefined); QuickJS takes it over.</summary>
    private int ToBox(HostValue value)
    {
        switch (value.Kind)
        {
            case HostValue.Kinds.String:
                return NewString(value.Text!);
            case HostValue.Kinds.Number:
                return _native.NewFloat64(_ctx, value.NumberValue);
            case HostValue.Kinds.Boolean:
            case HostValue.Kinds.Json:
            {
                var text = NewString(value.Kind == HostValue.Kinds.Json ? value.Text! : value.NumberValue != 0 ? "true" : "false");
                var (result, error) = Invoke(_helpers.FromJson, [text]);
                _native.FreeValue(_ctx, text);
                if (error == 0) return result;
                var thrown = _native.Throw(_ctx, error);
                _native.FreeValue(_ctx, error);
                return thrown;
            }
            case HostValue.Kinds.Bytes:
            {
                var bytes = value.ByteArray!;
                var buffer = _native.Malloc(Math.Max(bytes.Length, 1));
                if (buffer == 0) throw new OutOfMemoryException("QuickJS heap is full");
                _native.Memory.Write(buffer, bytes);
                return _native.NewArrayBuffer(_ctx, buffer, bytes.Length);
            }
            default:
                return 0;
        }
    }

    /// <summary>Turns a C# exception into a pending JS error; returns the JS_EXCEPTION box QuickJS expects.</summary>
    private int ThrowIntoJs(Exception exception)
    {
        var error = _native.NewError(_ctx);
        var message = NewString(exception is JsException js ? js.Error.Message : exception.Message);
        SetProperty(error, "message", message);
        _native.FreeValue(_ctx, message);
        if (exception is JsException { Error.Name.Length: > 0 } named)
        {
            var name = NewString(named.Error.Name);
            SetProperty(error, "name", name);
            _native.FreeValue(_ctx, name);
        }
        var thrown = _native.Throw(_ctx, error);
        _native.FreeValue(_ctx, error);
        return thrown;
    }

    /// <summary>The engine's answers to the imports that need engine state.</summary>
    private sealed class Callbacks(QuickJsEngine engine) : NativeImports.ICallbacks
    {
        public double DateNow() => engine._creatingContext ? engine.Options.RandomSeed : engine.ClockMs;

        public int CallHostFunction(int ctx, int thisPointer, int argc, int argv, int hostRefId) =>
            engine.CallHostFunction(thisPointer, argc, argv, hostRefId);

        public void ReleaseHostRef(int hostRefId) => engine._hostFunctions.Release(hostRefId);

        public int LoadModuleSource(string name) => engine.LoadModuleSource(name);
    }

    internal int UndefinedBox => _undefined;
}
