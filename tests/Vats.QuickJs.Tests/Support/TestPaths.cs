namespace Vats.QuickJs.Tests.Support;

/// <summary>Files of the repository the tests read: the pinned Agoric bundles, the reference host, the probes.</summary>
internal static class TestPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The repository root (the nearest folder above the test binary holding Vats.sln).</summary>
    public static string Root => LazyRoot.Value;

    public static string TestsDir => Path.Combine(Root, "tests", "Vats.QuickJs.Tests");

    public static string LockdownBundle => Path.Combine(TestsDir, "node_modules", "@agoric", "xsnap-lockdown", "dist", "lockdown.bundle");

    public static string SupervisorBundle => Path.Combine(TestsDir, "node_modules", "@agoric", "swingset-xsnap-supervisor", "dist", "supervisor.bundle");

    public static string ReferenceHost => Path.Combine(Root, "engine", "Vats.QuickJs", "reference-host", "quickjs-host.cjs");

    public static string Probes => Path.Combine(TestsDir, "Differential", "probes.js");

    public static string GlueFile => Path.Combine(Root, "engine", "Vats.QuickJs", "node_modules", "@jitl", "quickjs-wasmfile-release-sync", "dist", "emscripten-module.cjs");

    /// <summary>Skips the test (with the reason) when an npm-installed file is missing.</summary>
    public static string RequireInstalled(string path)
    {
        if (!File.Exists(path)) MissingPrerequisite($"{path} is not installed: run `npm ci` in the folder holding its package-lock.json (or bash .ci/setup)");
        return path;
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
