namespace Vats.QuickJs;

/// <summary>
/// The engine's wasm instance trapped (fuel exhaustion, an assertion or abort inside QuickJS, a host-side
/// limit). QuickJS was stopped half-way through an operation, so the engine refuses further work; restore a
/// snapshot into a new engine instead.
/// </summary>
public sealed class EngineFaultedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EngineFaultedException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
