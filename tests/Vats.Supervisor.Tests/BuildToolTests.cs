using System.Text.RegularExpressions;

namespace Vats.Supervisor.Tests;

/// <summary>The bundler tool the build runs (Vats.Supervisor.Build), on small npm trees of its own.</summary>
[TestFixture]
public sealed class BuildToolTests
{
    private static DotnetProcess.Result RunTool(string nodeModules, string output, params string[] bundles)
    {
        Assert.That(RepoPaths.BuildTool, Does.Exist, "built with Vats.Supervisor");
        return DotnetProcess.Run(RepoPaths.Root, [RepoPaths.BuildTool, "--node-modules", nodeModules, "--out", output, .. bundles]);
    }

    private static TempDirectory Package(string name, string indexJs, string lockedVersion = "1.0.0")
    {
        var temp = new TempDirectory("vats-supervisor-tool-");
        temp.Write("package-lock.json",
            "{\"lockfileVersion\":3,\"packages\":{\"\":{\"name\":\"t\"},\"node_modules/" + name + "\":{\"version\":\"" + lockedVersion + "\"}}}");
        temp.Write($"node_modules/{name}/package.json", "{\"name\":\"" + name + "\",\"version\":\"1.0.0\",\"type\":\"module\"}");
        temp.Write($"node_modules/{name}/index.js", indexJs);
        return temp;
    }

    [Test]
    public void WritesTheBundleAndItsHashAndRewritesNothingUnchanged()
    {
        using var temp = Package("ok", "export const x = 1;\n");
        var output = Path.Combine(temp.Path, "out");
        var first = RunTool(Path.Combine(temp.Path, "node_modules"), output, "b=ok/index.js");
        Assert.That(first.ExitCode, Is.Zero, first.ToString);
        var bundle = Path.Combine(output, "b.bundle");
        var hash = File.ReadAllText(bundle + ".sha256");
        var written = File.GetLastWriteTimeUtc(bundle);
        File.SetLastWriteTimeUtc(bundle, written.AddMinutes(-5));

        var second = RunTool(Path.Combine(temp.Path, "node_modules"), output, "b=ok/index.js");
        Assert.Multiple(() =>
        {
            Assert.That(second.ExitCode, Is.Zero, second.ToString);
            Assert.That(hash, Does.Match("^[0-9a-f]{64}\n$"));
            Assert.That(first.Output, Does.Contain("sha256 " + hash.Trim()).And.Not.Contain("(unchanged)"));
            Assert.That(second.Output, Does.Contain("(unchanged)"));
            Assert.That(File.GetLastWriteTimeUtc(bundle), Is.EqualTo(written.AddMinutes(-5)), "not rewritten");
        });
    }

    [Test]
    public void AnInstallThatDiffersFromTheLockFileIsNamedWithTheInstallCommand()
    {
        using var temp = Package("left-pad", "export const x = 1;\n", lockedVersion: "1.3.0");
        var result = RunTool(Path.Combine(temp.Path, "node_modules"), Path.Combine(temp.Path, "out"), "b=left-pad/index.js");
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString);
            Assert.That(result.Output, Does.Contain("error VATS0004"));
            Assert.That(result.Output, Does.Contain("left-pad is 1.0.0, locked 1.3.0"));
            Assert.That(result.Output, Does.Contain($"cd \"{temp.Path}\" && npm ci"));
            Assert.That(Path.Combine(temp.Path, "out"), Does.Not.Exist);
        });
    }

    [Test]
    public void ASyntaxErrorIsReportedInMsBuildsFormat()
    {
        using var temp = Package("broken", "export const x = 1;\nf(;);\n");
        var result = RunTool(Path.Combine(temp.Path, "node_modules"), Path.Combine(temp.Path, "out"), "b=broken/index.js");
        var index = Path.Combine(temp.Path, "node_modules", "broken", "index.js");
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString);
            Assert.That(result.Output, Does.Match(Regex.Escape(index) + @"\(2,\d+\): error VATS0003: SyntaxError: "));
            Assert.That(Path.Combine(temp.Path, "out", "b.bundle"), Does.Not.Exist);
        });
    }
}
