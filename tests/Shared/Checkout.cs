namespace Vats.TestSupport;

/// <summary>
/// What every test project needs of the checkout it runs in: the root folder, and the rule for prerequisites that
/// <c>bash .ci/setup</c> installs (npm packages, Node). Linked into each test project (see its csproj).
/// </summary>
internal static class Checkout
{
    private static readonly Lazy<string> LazyRoot = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Vats.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no Vats.sln above {AppContext.BaseDirectory}");
    });

    /// <summary>The repository root: the nearest folder above the test binary holding Vats.sln.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>
    /// A prerequisite installed by bash .ci/setup is missing: the test is skipped with the reason on a developer
    /// machine, but fails in CI (CI=true), where a skip would hide a broken install step.
    /// </summary>
    public static void MissingPrerequisite(string reason)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) Assert.Fail(reason);
        Assert.Ignore(reason);
    }

    /// <summary>Returns <paramref name="path"/> if the npm install put it there; else a missing prerequisite naming the folder to install.</summary>
    public static string RequireInstalled(string path, string installFolder)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
            MissingPrerequisite($"{path} is not installed: run `npm ci` in {installFolder} (or bash .ci/setup)");
        return path;
    }
}
