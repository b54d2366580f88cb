namespace Vats.KernelClient.Tests.Support;

/// <summary>Files of the repository the tests read: the reference scripts and the npm packages they import.</summary>
internal static class TestPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The repository root (the nearest folder above the test binary holding Vats.sln).</summary>
    public static string Root => LazyRoot.Value;

    public static string TestsDir => Path.Combine(Root, "tests", "Vats.KernelClient.Tests");

    public static string StringifyProbe => Path.Combine(TestsDir, "Reference", "stringify-probe.mjs");

    public static string MarshalProbe => Path.Combine(TestsDir, "Reference", "marshal-probe.mjs");

    /// <summary>The pinned @endo/marshal the smallcaps tests compare against.</summary>
    public static string MarshalPackage => Path.Combine(TestsDir, "node_modules", "@endo", "marshal", "package.json");

    /// <summary>Skips the test (with the reason) when an npm-installed file is missing.</summary>
    public static void RequireInstalled(string path)
    {
        if (!File.Exists(path))
            MissingPrerequisite($"{path} is not installed: run `npm ci` in tests/Vats.KernelClient.Tests (or bash .ci/setup)");
    }

    /// <summary>
    /// A prerequisite installed by bash .ci/setup is missing: the test is skipped with the reason on a developer
    /// machine, but fails in CI (CI=true), where a skip would hide a broken install step.
    /// </summary>
    public static void MissingPrerequisite(string reason)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) Assert.Fail(reason);
        Assert.Ignore(reason);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Vats.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no Vats.sln above {AppContext.BaseDirectory}");
    }
}
