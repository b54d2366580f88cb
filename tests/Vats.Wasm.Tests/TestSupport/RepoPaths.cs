namespace Vats.Wasm.Tests.TestSupport;

/// <summary>Locates files of the repository from a test or benchmark binary's output folder.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The repository root: the nearest folder above the running binary that holds Vats.sln.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>A path below the root, given with forward slashes.</summary>
    public static string Combine(string relative) =>
        Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>
    /// The WebAssembly spec scripts: $VATS_WASM_SPEC_DIR if set, else ../shared/wasm-spec beside the repository.
    /// They are test data that stays outside the repository.
    /// </summary>
    public static string WasmSpecDirectory
    {
        get
        {
            var overridden = Environment.GetEnvironmentVariable("VATS_WASM_SPEC_DIR");
            var dir = string.IsNullOrWhiteSpace(overridden) ? Path.GetFullPath(Path.Combine(Root, "..", "shared", "wasm-spec")) : overridden;
            if (!Directory.Exists(dir))
                throw new DirectoryNotFoundException($"WebAssembly spec scripts not found in {dir} (expected ../shared/wasm-spec beside the repository, or set VATS_WASM_SPEC_DIR)");
            return dir;
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vats.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException($"no Vats.sln above {AppContext.BaseDirectory}: run from a build inside the repository");
    }
}
