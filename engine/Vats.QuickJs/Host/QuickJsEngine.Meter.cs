namespace Vats.QuickJs;

/// <summary>
/// The meter behind xsnap's <c>currentMeterLimit</c> and <c>resetMeter</c>. The meter index is the fuel the current
/// operation has used, read exactly from inside the call in progress; the limit is the operation's fuel budget. Like
/// xsnap's per-crank meter, both start afresh with every top-level operation (index 0, limit <see cref="MeterLimit"/>).
/// </summary>
public sealed partial class QuickJsEngine
{
    /// <summary>Largest meter value JavaScript can hand over (2^53: every integer below it is exact in a double).</summary>
    private const double MaxMeterValue = 9007199254740992;

    private void RegisterMeterBuiltIns()
    {
        _callbacks[BuiltInPrefix + "currentMeterLimit"] = _ => HostValue.Number(_native.FuelLimit ?? 0);
        _callbacks[BuiltInPrefix + "meterIndex"] = _ => HostValue.Number(_native.FuelUsed);
        // The prelude converts the arguments with Number() before these calls, in xsnap's order: read the index,
        // convert and set the limit, convert and set the index.
        _callbacks[BuiltInPrefix + "setMeterLimit"] = call =>
        {
            // Applied with the index (resetMeter sets both, limit first): the limit alone, measured against the old
            // index, could stop the call between the two halves of one resetMeter.
            _native.FuelLimit = ToMeterLimit(call.GetNumber(0));
            return HostValue.Undefined;
        };
        _callbacks[BuiltInPrefix + "setMeterIndex"] = call =>
        {
            _native.FuelUsed = ToMeterIndex(call.GetNumber(0));
            ApplyMeterToRunningCall();
            return HostValue.Undefined;
        };
        // The bridge function of earlier preludes (one call: returns the index, then sets limit and index). Snapshots
        // taken with them still hold closures that call it.
        _callbacks[BuiltInPrefix + "resetMeter"] = call =>
        {
            var index = _native.FuelUsed;
            _native.FuelLimit = ToMeterLimit(call.GetNumber(0));
            _native.FuelUsed = ToMeterIndex(call.GetNumber(1));
            ApplyMeterToRunningCall();
            return HostValue.Number(index);
        };
    }

    /// <summary>
    /// xsnap checks a new limit at once, within the crank that set it; so the wasm call in progress gets the budget
    /// the new limit and index leave (unmetered when there is no limit; 0 stops it at its next straight-line run).
    /// </summary>
    private void ApplyMeterToRunningCall()
    {
        if (!_native.InCall) return;
        _native.Store.SetCurrentCallFuelRemaining(_native.FuelLimit is { } limit ? Math.Max(0, limit - _native.FuelUsed) : null);
    }

    /// <summary>A limit of 0 (or anything not a positive number) means unlimited, as in xsnap.</summary>
    private static long? ToMeterLimit(double value) =>
        value >= 1 ? (long)Math.Min(Math.Truncate(value), MaxMeterValue) : null;

    private static long ToMeterIndex(double value) =>
        value >= 1 ? (long)Math.Min(Math.Truncate(value), MaxMeterValue) : 0;
}
