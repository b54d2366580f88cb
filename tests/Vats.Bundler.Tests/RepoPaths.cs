namespace Vats.Bundler.Tests;

/// <summary>Locations inside the checkout, found from the test assembly's directory.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Corpus => Path.Combine(Root, "tests", "Vats.Bundler.Tests", "corpus");

    public static string Harness => Path.Combine(Root, "bundler", "harness");

    public static bool HarnessInstalled => Directory.Exists(Path.Combine(Harness, "node_modules", "ses"));

    public static void RequireHarness()
    {
        if (!HarnessInstalled) MissingPrerequisite("bundler/harness/node_modules is missing: run `npm ci` in bundler/harness");
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
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "bundler", "Vats.Bundler"))) return dir.FullName;
        }
        throw new InvalidOperationException("cannot find the repository root");
    }

    public static IEnumerable<string> CorpusPrograms() =>
        Directory.GetDirectories(Corpus).Where(d => File.Exists(Path.Combine(d, "main.js")))
            .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);
}
