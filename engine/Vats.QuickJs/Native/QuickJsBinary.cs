using System.Reflection;
using System.Security.Cryptography;
using Vats.Wasm;

namespace Vats.QuickJs.Native;

/// <summary>
/// The pinned QuickJS WebAssembly build (npm <c>@jitl/quickjs-wasmfile-release-sync@0.32.0</c>, Bellard
/// QuickJS 2025-09-13). The bytes come from the assembly (embedded at build time from the folder where
/// <c>npm ci</c> installs the package) or from a file; either way they must match the pinned SHA-256, because
/// every import answer and export name of this engine is specific to that build.
/// </summary>
public static class QuickJsBinary
{
    /// <summary>npm package and version the engine is pinned to.</summary>
    public const string Package = "@jitl/quickjs-wasmfile-release-sync@0.32.0";

    /// <summary>SHA-256 (lower-case hex) of the pinned <c>dist/emscripten-module.wasm</c>.</summary>
    public const string Sha256 = "105c3bed22d457e43e3d1c3c1c6959fda62a8fe06f0fc8a985303c3a2be72232";

    /// <summary>Size in bytes of the pinned binary.</summary>
    public const int Size = 503_134;

    internal const string ResourceName = "Vats.QuickJs.quickjs.wasm";
    internal const string RelativeInstallPath = "engine/Vats.QuickJs/node_modules/@jitl/quickjs-wasmfile-release-sync/dist/emscripten-module.wasm";

    private static readonly Lazy<CompiledModule> Default = new(() => Compile(LoadDefaultBytes(), "the embedded QuickJS wasm"));

    /// <summary>
    /// The pinned module, decoded and validated once per process. Throws <see cref="QuickJsBinaryException"/>
    /// if the binary is missing or is not the pinned build.
    /// </summary>
    public static CompiledModule Module => Default.Value;

    /// <summary>Checks <paramref name="bytes"/> against the pin and the name tables, then compiles them.</summary>
    public static CompiledModule Compile(byte[] bytes, string origin)
    {
        Verify(bytes, origin);
        var module = CompiledModule.Compile(bytes);
        ExportTable.Verify(module.Module, origin);
        ImportTable.Verify(module.Module, origin);
        return module;
    }

    /// <summary>Throws <see cref="QuickJsBinaryException"/> unless <paramref name="bytes"/> are the pinned build.</summary>
    public static void Verify(ReadOnlySpan<byte> bytes, string origin)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (hash != Sha256 || bytes.Length != Size)
        {
            throw new QuickJsBinaryException(
                $"{origin} is not the pinned QuickJS build ({Package}): it has {bytes.Length} bytes and SHA-256 {hash}, " +
                $"expected {Size} bytes and SHA-256 {Sha256}. The import and export names of this engine are those of the " +
                "pinned build; reinstall it with `npm ci` in engine/Vats.QuickJs (package-lock.json pins it).");
        }
    }

    private static byte[] LoadDefaultBytes()
    {
        using (var stream = typeof(QuickJsBinary).Assembly.GetManifestResourceStream(ResourceName))
        {
            if (stream is not null)
            {
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                return copy.ToArray();
            }
        }
        var path = FindInstalledFile();
        if (path is null)
        {
            throw new QuickJsBinaryException(
                $"the QuickJS wasm was not embedded in {Assembly.GetExecutingAssembly().GetName().Name} and was not found at " +
                $"{RelativeInstallPath} above {AppContext.BaseDirectory}: run `npm ci` in engine/Vats.QuickJs, then rebuild.");
        }
        return File.ReadAllBytes(path);
    }

    private static string? FindInstalledFile()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, RelativeInstallPath.Replace('/', Path.DirectorySeparatorChar));
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
