using Vats.QuickJs;

namespace Vats.Bundler.Parsing;

/// <summary>
/// A module the parser rejected. Carries how the module was being read, so that the QuickJS check can still judge
/// it: when the engine rejects it too, the engine's message is the one reported.
/// </summary>
internal sealed class JsSyntaxException(SourceKind kind, BundleException error, Exception cause)
    : Exception(error.Message, cause)
{
    public SourceKind Kind { get; } = kind;

    public BundleException Error { get; } = error;
}
