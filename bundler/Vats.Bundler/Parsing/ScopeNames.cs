namespace Vats.Bundler.Parsing;

/// <summary>
/// The names a nested scope declares, attached to its node (<c>Node.UserData</c>) while parsing, so that a walk of the
/// tree can tell whether a name used inside refers to a top-level binding or to a local that shadows it.
/// </summary>
internal sealed class ScopeNames(string[] names)
{
    public bool Contains(string name) => Array.IndexOf(names, name) >= 0;
}
