using System.Reflection;
using Vats.Wasm;

namespace Vats.QuickJs.Native;

/// <summary>
/// The pinned QuickJS module's compiled code, made at build time (Vats.Wasm.Precompiler, then crossgen2) and shipped
/// next to this assembly as <see cref="FileName"/>. Registered once per process, before the first compiled engine, so
/// QuickJS's giant functions run as ahead-of-time code (the JIT compiles methods that large with minimal optimization)
/// and no engine pays for translating the module to IL. Without the file (or with one from another build) the
/// compiled engine translates and JIT-compiles the module itself: slower, same results.
/// </summary>
internal static class PrecompiledQuickJs
{
    internal const string FileName = "Vats.QuickJs.Compiled.dll";

    private static readonly Lazy<Assembly?> Loaded = new(Load);

    /// <summary>The registered assembly, or null if none was found or it did not fit this build.</summary>
    internal static Assembly? Assembly => Loaded.Value;

    internal static void EnsureRegistered() => _ = Loaded.Value;

    private static Assembly? Load()
    {
        var dir = Path.GetDirectoryName(typeof(PrecompiledQuickJs).Assembly.Location);
        var path = Path.Combine(string.IsNullOrEmpty(dir) ? AppContext.BaseDirectory : dir, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            // From the file, into the default context: only then does the runtime use its ReadyToRun code.
            var assembly = System.Reflection.Assembly.LoadFrom(path);
            PrecompiledModules.Register(assembly);
            return assembly;
        }
        catch (Exception e) when (e is ArgumentException or IOException or BadImageFormatException)
        {
            return null;
        }
    }
}
