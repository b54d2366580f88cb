using System.Reflection;
using Vats.Wasm.Compiler;

namespace Vats.Wasm;

/// <summary>
/// Code made ahead of time by the wasm compiler for a known module (<see cref="ExecutionEngineKind.Compiler"/>). A
/// module pinned by its hash can be compiled at build time (<see cref="Save"/>), the assembly precompiled to machine
/// code (crossgen2 / ReadyToRun), and registered at run time: stores running that module then use it instead of
/// translating and JIT-compiling the module themselves.
/// </summary>
public static class PrecompiledModules
{
    private static readonly Dictionary<string, Assembly> Registered = new(StringComparer.Ordinal);

    /// <summary>
    /// Writes the compiled code of <paramref name="module"/> to <paramref name="path"/> as an assembly named
    /// <c>Vats.Wasm.Compiled.&lt;sha-256&gt;</c>. It is valid only with the Vats.Wasm build that wrote it.
    /// </summary>
    public static void Save(CompiledModule module, string path, bool canonicalizeNaNs = true) =>
        ModuleCompiler.Save(module.Module, canonicalizeNaNs, path);

    /// <summary>
    /// Makes <paramref name="assembly"/> (written by <see cref="Save"/>) the code of the module whose SHA-256 its name
    /// records. Stores that already compiled that module keep their code.
    /// </summary>
    public static void Register(Assembly assembly)
    {
        var name = assembly.GetName().Name ?? "";
        const string prefix = "Vats.Wasm.Compiled.";
        if (!name.StartsWith(prefix, StringComparison.Ordinal))
            throw new ArgumentException($"{name} is not an assembly written by PrecompiledModules.Save", nameof(assembly));
        lock (Registered) Registered[name[prefix.Length..]] = assembly;
    }

    internal static Type? Find(Model.Module module, bool canonicalize)
    {
        Assembly? assembly;
        lock (Registered) Registered.TryGetValue(Convert.ToHexStringLower(module.Sha256), out assembly);
        return assembly?.GetType(ModuleCompiler.GeneratedTypeName(canonicalize));
    }
}
