namespace Vats.Wasm.Model;

/// <summary>The kind of an import or export, encoded as in the binary format.</summary>
public enum ExternalKind : byte
{
    /// <summary>A function.</summary>
    Function = 0,
    /// <summary>A table.</summary>
    Table = 1,
    /// <summary>A memory.</summary>
    Memory = 2,
    /// <summary>A global.</summary>
    Global = 3,
}
