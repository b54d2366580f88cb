namespace Vats.Bundler.Tests;

/// <summary>Locations inside the checkout, found from the test assembly's directory.</summary>
internal static class RepoPaths
{
    public static string Root => Checkout.Root;

    public static string Corpus => Path.Combine(Root, "tests", "Vats.Bundler.Tests", "corpus");

    public static string Harness => Path.Combine(Root, "bundler", "harness");

    public static bool HarnessInstalled => Directory.Exists(Path.Combine(Harness, "node_modules", "ses"));

    public static void RequireHarness()
    {
        if (!HarnessInstalled) Checkout.MissingPrerequisite("bundler/harness/node_modules is missing: run `npm ci` in bundler/harness");
    }

    public static IEnumerable<string> CorpusPrograms() =>
        Directory.GetDirectories(Corpus).Where(d => File.Exists(Path.Combine(d, "main.js")))
            .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);
}
