namespace Vats.QuickJs;

/// <summary>The event loop: promise jobs and the setImmediate macrotask queue.</summary>
public sealed partial class QuickJsEngine
{
    /// <summary>xsnap's loop: drain promise jobs, run one setImmediate callback, repeat until both queues are empty.</summary>
    private JsOutcome RunLoop()
    {
        for (;;)
        {
            var jobs = DrainJobs();
            if (!jobs.IsValue) return jobs;
            if (_macrotasks.Count == 0) return JsOutcome.Value(null);
            var task = RunOneMacrotask();
            if (!task.IsValue) return task;
        }
    }

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

    /// <summary>
    /// The bridge's setImmediate(callback, argument, handle): queues the callback at the end (FIFO) with the handle object
    /// the global returned. The queue holds the handle until the callback has run, as xsnap's timer list holds its
    /// timer object.
    /// </summary>
    private HostValue QueueMacrotask(HostCall call)
    {
        var function = _native.DupValue(_ctx, call.ArgumentBox(0));
        var argument = _native.DupValue(_ctx, call.ArgumentBox(1));
        var handle = _native.DupValue(_ctx, call.ArgumentBox(2));
        _macrotasks.Add((function, argument, handle));
        return HostValue.Undefined;
    }

    private void FreeMacrotask((int Function, int Argument, int Handle) task)
    {
        _native.FreeValue(_ctx, task.Function);
        _native.FreeValue(_ctx, task.Argument);
        if (task.Handle != 0) _native.FreeValue(_ctx, task.Handle); // 0: restored from a version-1 snapshot
    }

    private JsOutcome RunOneMacrotask()
    {
        if (_macrotasks.Count == 0) return JsOutcome.Value("false");
        var task = _macrotasks[0];
        _macrotasks.RemoveAt(0);
        var (result, error) = Invoke(task.Function, [task.Argument]);
        FreeMacrotask(task);
        if (error != 0) return JsOutcome.Thrown(Describe(error));
        _native.FreeValue(_ctx, result);
        return JsOutcome.Value("true");
    }
}
