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
    /// records. Stores that already compiled that module keep their code. Throws <see cref="ArgumentException"/> if the
    /// assembly was not written by <see cref="Save"/> or was written by another Vats.Wasm build (whose internals it
    /// was compiled against).
    /// </summary>
    /// <remarks>
    /// To run as ahead-of-time code, the assembly must be loaded from its file into the default load context
    /// (<see cref="Assembly.LoadFrom(string)"/>): collectible contexts and assemblies loaded from bytes do not use
    /// ReadyToRun code.
    /// </remarks>
    public static void Register(Assembly assembly)
    {
        var name = assembly.GetName().Name ?? "";
        const string prefix = "Vats.Wasm.Compiled.";
        if (!name.StartsWith(prefix, StringComparison.Ordinal))
            throw new ArgumentException($"{name} is not an assembly written by PrecompiledModules.Save", nameof(assembly));
        var build = assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == ModuleCompiler.BuildKey)?.Value;
        if (build != ModuleCompiler.BuildId)
            throw new ArgumentException($"{name} was written by another Vats.Wasm build ({build ?? "unknown"}, this is {ModuleCompiler.BuildId})", nameof(assembly));
        lock (Registered) Registered[name[prefix.Length..]] = assembly;
    }

    /// <summary>The assembly registered for <paramref name="module"/>, or null if its stores compile it themselves.</summary>
    public static Assembly? RegisteredFor(CompiledModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        lock (Registered) return Registered.GetValueOrDefault(Convert.ToHexStringLower(module.Module.Sha256));
    }

    internal static Type? Find(Model.Module module, bool canonicalize)
    {
        Assembly? assembly;
        lock (Registered) Registered.TryGetValue(Convert.ToHexStringLower(module.Sha256), out assembly);
        return assembly?.GetType(ModuleCompiler.GeneratedTypeName(canonicalize));
    }
}
