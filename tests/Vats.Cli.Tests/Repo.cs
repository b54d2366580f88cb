namespace Vats.Cli.Tests;

/// <summary>The checkout the tests run in.</summary>
internal static class Repo
{
    private static readonly Lazy<string> LazyRoot = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Vats.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no Vats.sln above {AppContext.BaseDirectory}");
    });

    public static string Root => LazyRoot.Value;
}
