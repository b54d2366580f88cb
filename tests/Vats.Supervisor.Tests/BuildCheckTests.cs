using System.Text.RegularExpressions;

namespace Vats.Supervisor.Tests;

/// <summary>
/// The build of Vats.Supervisor itself: a bundle whose hash differs from the expected one fails it with VATS0001,
/// the printed command records the new hashes, and an up-to-date build does not bundle again. The expected hashes
/// are read from a temporary folder (VatsBundleHashDirectory), never from the committed files.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class BuildCheckTests
{
    private static readonly string WrongSha256 = string.Concat(Enumerable.Repeat("0123456789abcdef", 4));

    [Test]
    public void ADifferentHashFailsTheBuildAndTheUpdateCommandRecordsTheBuiltOne()
    {
        using var hashes = new TempDirectory("vats-supervisor-hashes-");
        var lockdownFile = hashes.Write("lockdown.bundle.sha256", RepoPaths.CommittedSha256("lockdown") + "\n");
        var supervisorFile = hashes.Write("supervisor.bundle.sha256", WrongSha256 + "\n");
        var committed = Directory.GetFiles(RepoPaths.ProjectDirectory, "*.sha256").ToDictionary(f => f, File.ReadAllText);

        var failed = DotnetProcess.Build(RepoPaths.Root, "build", RepoPaths.ProjectFile,
            ["-c", RepoPaths.Configuration, "--no-restore", "-p:VatsBundleHashDirectory=" + hashes.Path]);

        var command = UpdateCommand().Match(failed.Output);
        Assert.Multiple(() =>
        {
            Assert.That(failed.ExitCode, Is.Not.Zero, failed.ToString);
            Assert.That(failed.Output, Does.Contain("error VATS0001"));
            Assert.That(failed.Output, Does.Contain(SupervisorBundle.Sha256), "the built hash");
            Assert.That(failed.Output, Does.Contain(WrongSha256), "the expected hash");
            Assert.That(failed.Output, Does.Contain("supervisor.bundle built from @agoric/swingset-xsnap-supervisor/lib/entry.js"));
            Assert.That(failed.Output, Does.Not.Contain("lockdown.bundle built from"), "the lockdown bundle matched");
            Assert.That(command.Success, Is.True, "the error names the update command");
        });
        var arguments = SplitCommand(command.Groups[1].Value);
        Assert.That(arguments, Is.EqualTo(new[]
        {
            "dotnet", "build", "supervisor/Vats.Supervisor/Vats.Supervisor.csproj", "-c", RepoPaths.Configuration,
            "-p:UpdateVatsBundleHashes=true", "-p:VatsBundleHashDirectory=" + hashes.Path,
        }));

        // Run the command exactly as printed (plus verbosity, to see which targets ran).
        var updated = DotnetProcess.Run(RepoPaths.Root, [.. arguments.Skip(1), "--no-restore", "-v:n", .. DotnetProcess.BuildFlags]);
        Assert.Multiple(() =>
        {
            Assert.That(updated.ExitCode, Is.Zero, updated.ToString);
            Assert.That(File.ReadAllText(supervisorFile).Trim(), Is.EqualTo(SupervisorBundle.Sha256));
            Assert.That(File.ReadAllText(lockdownFile).Trim(), Is.EqualTo(LockdownBundle.Sha256));
            Assert.That(updated.Output, Does.Contain("updated " + supervisorFile));
            // Nothing the bundles are made of changed since the tests were built: no bundling.
            Assert.That(updated.Output, Does.Contain("Skipping target \"VatsBundleBootBundles\" because all output files are up-to-date"));
            Assert.That(updated.Output, Does.Not.Contain("modules,"), "the bundler did not run");
            foreach (var (file, content) in committed) Assert.That(File.ReadAllText(file), Is.EqualTo(content), file + " untouched");
        });
    }

    [Test]
    public void MissingNpmPackagesFailTheBuildWithTheInstallCommand()
    {
        using var temp = new TempDirectory("vats-supervisor-nomodules-");
        var missing = Path.Combine(temp.Path, "node_modules");
        var result = DotnetProcess.Build(RepoPaths.Root, "build", RepoPaths.ProjectFile,
            ["-c", RepoPaths.Configuration, "--no-restore", "-p:VatsSupervisorNodeModules=" + missing]);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Not.Zero, result.ToString);
            Assert.That(result.Output, Does.Contain("error VATS0004"));
            Assert.That(result.Output, Does.Contain($"cd \"{temp.Path}\" && npm ci"));
            Assert.That(result.Output, Does.Not.Contain("modules,"), "the bundler did not run");
        });
    }

    /// <summary>Splits a command line on spaces outside double quotes, dropping the quotes.</summary>
    private static List<string> SplitCommand(string command)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        bool quoted = false, any = false;
        foreach (var c in command)
        {
            if (c == '"') { quoted = !quoted; any = true; }
            else if (c == ' ' && !quoted)
            {
                if (any) parts.Add(current.ToString());
                current.Clear();
                any = false;
            }
            else { current.Append(c); any = true; }
        }
        if (any) parts.Add(current.ToString());
        return parts;
    }

    [GeneratedRegex(@"record the new hashes with: (.+?)   then")]
    private static partial Regex UpdateCommand();
}
