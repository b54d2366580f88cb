namespace Vats.Wasm.SpecTests;

/// <summary>Finds the WebAssembly spec test data, which lives beside the repository, never inside it.</summary>
internal static class SpecDirectory
{
    public const string OverrideVariable = "VATS_WASM_SPEC_DIR";

    /// <summary>The folder holding the *.wast files, or an explanation of why there is none.</summary>
    public static string Locate()
    {
        var overridden = Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrWhiteSpace(overridden))
        {
            if (!Directory.Exists(overridden))
                throw new DirectoryNotFoundException($"{OverrideVariable} names '{overridden}', which does not exist");
            return Path.GetFullPath(overridden);
        }

        var root = FindRepositoryRoot(AppContext.BaseDirectory)
            ?? throw new DirectoryNotFoundException(
                $"cannot find the repository root (a folder with Vats.sln) above {AppContext.BaseDirectory}; set {OverrideVariable} to the spec test folder");
        var candidate = Path.GetFullPath(Path.Combine(root, "..", "shared", "wasm-spec"));
        if (!Directory.Exists(candidate))
            throw new DirectoryNotFoundException(
                $"the WebAssembly spec tests are expected in {candidate} (../shared/wasm-spec beside the repository); set {OverrideVariable} to their folder");
        return candidate;
    }

    /// <summary>The spec script files, sorted by name.</summary>
    public static string[] WastFiles(string directory)
    {
        var files = Directory.GetFiles(directory, "*.wast");
        Array.Sort(files, StringComparer.Ordinal);
        if (files.Length == 0) throw new FileNotFoundException($"no *.wast files in {directory}");
        return files;
    }

    private static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vats.sln"))) return dir.FullName;
        }
        return null;
    }
}
