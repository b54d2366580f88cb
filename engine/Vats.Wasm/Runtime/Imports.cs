namespace Vats.Wasm.Runtime;

/// <summary>The externs offered to an instantiation, by module and field name.</summary>
public sealed class Imports
{
    private readonly Dictionary<(string Module, string Name), Extern> _externs = new();

    /// <summary>Offers <paramref name="value"/> as <paramref name="module"/>.<paramref name="name"/>; replaces an earlier definition.</summary>
    public Imports Define(string module, string name, Extern value)
    {
        _externs[(module, name)] = value;
        return this;
    }

    /// <summary>Offers every export of <paramref name="instance"/> under <paramref name="module"/> (the spec's "register").</summary>
    public Imports Define(string module, Instance instance)
    {
        foreach (var (name, value) in instance.Exports) _externs[(module, name)] = value;
        return this;
    }

    /// <summary>Looks up an offered extern.</summary>
    public bool TryGet(string module, string name, out Extern value) => _externs.TryGetValue((module, name), out value!);
}
