namespace Vats.QuickJs;

/// <summary>The event loop: promise jobs and the setImmediate macrotask queue.</summary>
public sealed partial class QuickJsEngine
{
    private JsOutcome DrainJobs()
    {
        var total = 0;
        while (_native.IsJobPending(_rt) != 0)
        {
            var slot = _native.Malloc(4);
            _native.WriteInt32(slot, 0); // written only when a job ran
            var result = _native.ExecutePendingJob(_rt, -1, slot);
            var lastContext = _native.ReadInt32(slot);
            _native.Free(slot);
            if (lastContext == 0)
            {
                _native.FreeValueRuntime(_rt, result);
                break;
            }
            if (TypeOfBox(result) != "number") return JsOutcome.Thrown(Describe(result));
            total += (int)_native.GetFloat64(_ctx, result);
            _native.FreeValue(_ctx, result);
        }
        return JsOutcome.Value(total.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private JsOutcome RunOneMacrotask()
    {
        if (_macrotasks.Count == 0) return JsOutcome.Value("false");
        var (function, argument) = _macrotasks[0];
        _macrotasks.RemoveAt(0);
        var (result, error) = Invoke(function, [argument]);
        _native.FreeValue(_ctx, function);
        _native.FreeValue(_ctx, argument);
        if (error != 0) return JsOutcome.Thrown(Describe(error));
        _native.FreeValue(_ctx, result);
        return JsOutcome.Value("true");
    }
}
