using Vats.Wasm.Model;

namespace Vats.Wasm.Compiler;

/// <summary>Process-wide canonical ids of function signatures: equal ids mean structurally equal types.</summary>
internal static class TypeRegistry
{
    private static readonly Dictionary<FuncType, int> Ids = new();

    public static int Id(FuncType type)
    {
        lock (Ids)
        {
            if (!Ids.TryGetValue(type, out var id))
            {
                id = Ids.Count;
                Ids.Add(type, id);
            }
            return id;
        }
    }
}
