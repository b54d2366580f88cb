namespace Vats.Wasm.Runtime;

/// <summary>Something an instance can import or export: a function, table, memory or global.</summary>
public abstract class Extern
{
    private protected Extern() { }
}
