using System.Security.Cryptography;

namespace Vats.Wasm.Tests.TestSupport;

/// <summary>
/// The pinned QuickJS WebAssembly build (npm @jitl/quickjs-wasmfile-release-sync 0.32.0, installed by
/// `npm ci` in engine/Vats.QuickJs). Loading checks the exact bytes, so every test and benchmark runs the
/// binary the host contract was written for.
/// </summary>
internal static class QuickJsWasm
{
    /// <summary>Where npm puts the file, relative to the repository root.</summary>
    public const string RelativePath = "engine/Vats.QuickJs/node_modules/@jitl/quickjs-wasmfile-release-sync/dist/emscripten-module.wasm";

    /// <summary>SHA-256 of the pinned binary.</summary>
    public const string Sha256 = "105c3bed22d457e43e3d1c3c1c6959fda62a8fe06f0fc8a985303c3a2be72232";

    /// <summary>Size of the pinned binary in bytes.</summary>
    public const int Size = 503_134;

    /// <summary>Absolute path of the file.</summary>
    public static string FilePath => RepoPaths.Combine(RelativePath);

    private static readonly Lazy<byte[]> LazyBytes = new(Read);

    /// <summary>The binary, checked against <see cref="Sha256"/>. Callers must not modify the array.</summary>
    public static byte[] Bytes => LazyBytes.Value;

    private static byte[] Read()
    {
        var path = FilePath;
        if (!File.Exists(path))
            throw new FileNotFoundException($"QuickJS wasm not found at {path}: run `bash .ci/setup` (it runs `npm ci` in engine/Vats.QuickJs)", path);
        var bytes = File.ReadAllBytes(path);
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (bytes.Length != Size || hash != Sha256)
            throw new InvalidDataException(
                $"QuickJS wasm at {path} is not the pinned build: {bytes.Length} bytes, sha256 {hash}; expected {Size} bytes, sha256 {Sha256}. " +
                "Run `bash .ci/setup` to reinstall the package from engine/Vats.QuickJs/package-lock.json");
        return bytes;
    }
}
