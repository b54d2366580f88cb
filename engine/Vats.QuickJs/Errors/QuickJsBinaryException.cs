namespace Vats.QuickJs;

/// <summary>The QuickJS wasm is missing, is not the pinned build, or its imports and exports are not the expected ones.</summary>
public sealed class QuickJsBinaryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public QuickJsBinaryException(string message) : base(message)
    {
    }
}
