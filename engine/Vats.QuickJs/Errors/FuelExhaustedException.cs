namespace Vats.QuickJs;

/// <summary>The fuel budget of an engine operation ran out (see <see cref="JsOutcomeKind.FuelExhausted"/>).</summary>
public sealed class FuelExhaustedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FuelExhaustedException() : base("the fuel budget ran out; the engine is faulted")
    {
    }
}
