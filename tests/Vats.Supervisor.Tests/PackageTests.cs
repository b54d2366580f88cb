using System.IO.Compression;
using System.Xml.Linq;

namespace Vats.Supervisor.Tests;

/// <summary>
/// The NuGet package: packed from the build the tests use, restored by small consumer projects from a local
/// folder only (into a temporary package cache, so a package that changes never reaches the user's cache),
/// whose pinned hashes pass or fail their build.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PackageTests
{
    private TempDirectory _workspace = null!;
    private string _package = null!;
    private string _version = null!;
    private Dictionary<string, string> _environment = null!;

    private string Lib => Path.Combine(_workspace.Path, "Lib", "Lib.csproj");

    private string App => Path.Combine(_workspace.Path, "App", "App.csproj");

    [OneTimeSetUp]
    public void PackAndRestore()
    {
        _workspace = new TempDirectory("vats-supervisor-consumer-");
        var feed = Path.Combine(_workspace.Path, "feed");
        var packages = Path.Combine(_workspace.Path, "packages");
        _environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = packages };

        var pack = DotnetProcess.Build(RepoPaths.Root, "pack", RepoPaths.ProjectFile,
            ["-c", RepoPaths.Configuration, "--no-build", "-o", feed]);
        Assert.That(pack.ExitCode, Is.Zero, pack.ToString);
        _package = Directory.GetFiles(feed, "Vats.Supervisor.*.nupkg").Single();
        _version = Path.GetFileNameWithoutExtension(_package)["Vats.Supervisor.".Length..];

        // Nothing from above the workspace applies: its own build files, and only the local feed as a source.
        _workspace.Write("Directory.Build.props", "<Project />");
        _workspace.Write("Directory.Build.targets", "<Project />");
        _workspace.Write("Directory.Packages.props", "<Project />");
        _workspace.Write("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
              </packageSources>
              <config>
                <add key="globalPackagesFolder" value="{packages}" />
              </config>
            </configuration>
            """);
        // Pins the package's hashes: the supervisor as a bundle id in capitals, the lockdown as plain hex.
        _workspace.Write("Lib/Lib.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <NuGetAudit>false</NuGetAudit>
                <VatsSupervisorSha256>B0-{SupervisorBundle.Sha256.ToUpperInvariant()}</VatsSupervisorSha256>
                <VatsLockdownSha256>{LockdownBundle.Sha256}</VatsLockdownSha256>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Vats.Supervisor" Version="{_version}" />
              </ItemGroup>
            </Project>
            """);
        _workspace.Write("Lib/Pins.cs", """
            namespace Lib;
            public static class Pins
            {
                public static string SupervisorBundleId => Vats.Supervisor.SupervisorBundle.BundleId;
            }
            """);
        // Gets the package only through Lib, and pins a lockdown bundle the package does not contain.
        _workspace.Write("App/App.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <NuGetAudit>false</NuGetAudit>
                <VatsLockdownSha256>{WrongSha256}</VatsLockdownSha256>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="../Lib/Lib.csproj" />
              </ItemGroup>
            </Project>
            """);
        var restore = DotnetProcess.Build(_workspace.Path, "restore", App, [], _environment);
        Assert.That(restore.ExitCode, Is.Zero, restore.ToString);
    }

    [OneTimeTearDown]
    public void Delete() => _workspace?.Dispose();

    private static string WrongSha256 => string.Concat(Enumerable.Repeat("fedcba9876543210", 4));

    private DotnetProcess.Result BuildConsumer(string project, params string[] arguments) =>
        DotnetProcess.Build(_workspace.Path, "build", project, ["--no-restore", .. arguments], _environment);

    [Test]
    public void ThePackageHasTheLibraryThePinningTargetsAndTheBundleHashesAndNoDependencies()
    {
        using var zip = ZipFile.OpenRead(_package);
        var entries = zip.Entries.Select(e => e.FullName).ToList();
        string Read(string name)
        {
            using var reader = new StreamReader(zip.GetEntry(name)!.Open());
            return reader.ReadToEnd();
        }
        var nuspec = XDocument.Parse(Read("Vats.Supervisor.nuspec"));
        var props = Read("buildTransitive/Vats.Supervisor.props");
        Assert.Multiple(() =>
        {
            Assert.That(entries, Is.SupersetOf(new[]
            {
                "lib/net10.0/Vats.Supervisor.dll", "lib/net10.0/Vats.Supervisor.xml",
                "buildTransitive/Vats.Supervisor.props", "buildTransitive/Vats.Supervisor.targets",
                "build/Vats.Supervisor.props", "build/Vats.Supervisor.targets",
            }));
            Assert.That(entries.Where(e => e.EndsWith(".dll", StringComparison.Ordinal)), Is.EqualTo(new[] { "lib/net10.0/Vats.Supervisor.dll" }));
            Assert.That(nuspec.Descendants().Where(e => e.Name.LocalName == "id").Single().Value, Is.EqualTo("Vats.Supervisor"));
            Assert.That(nuspec.Descendants().Where(e => e.Name.LocalName == "dependency"), Is.Empty);
            Assert.That(nuspec.Descendants().Where(e => e.Name.LocalName == "version").Single().Value, Is.EqualTo(_version));
            Assert.That(props, Does.Contain($"<VatsSupervisorPackageVersion>{_version}</VatsSupervisorPackageVersion>"));
            Assert.That(props, Does.Contain($"<VatsPackagedSupervisorSha256>{SupervisorBundle.Sha256}</VatsPackagedSupervisorSha256>"));
            Assert.That(props, Does.Contain($"<VatsPackagedLockdownSha256>{LockdownBundle.Sha256}</VatsPackagedLockdownSha256>"));
        });
    }

    [Test]
    public void AConsumerPinningThePackagedHashesBuilds()
    {
        var result = BuildConsumer(Lib);
        Assert.That(result.ExitCode, Is.Zero, result.ToString);
        // Lib's code uses the package's API, so it compiled against the packed assembly.
        Assert.That(Path.Combine(_workspace.Path, "Lib", "bin", "Debug", "net10.0", "Lib.dll"), Does.Exist);
    }

    [Test]
    public void AConsumerPinningAnotherSupervisorBundleFailsWithBothHashesAndTheFix()
    {
        var result = BuildConsumer(Lib, "-p:VatsSupervisorSha256=" + WrongSha256);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Not.Zero, result.ToString);
            Assert.That(result.Output, Does.Contain(Lib + " : error VATS0002"));
            Assert.That(result.Output, Does.Contain(
                $"Vats.Supervisor {_version} contains the supervisor bundle with SHA-256 {SupervisorBundle.Sha256}, but this project pins VatsSupervisorSha256 to {WrongSha256}"));
            Assert.That(result.Output, Does.Contain($"<VatsSupervisorSha256>{SupervisorBundle.Sha256}</VatsSupervisorSha256>"));
            Assert.That(result.Output, Does.Contain("reference the Vats.Supervisor version that contains it"));
            Assert.That(result.Output, Does.Not.Contain("VatsLockdownSha256 to"), "the lockdown pin matches");
        });
    }

    [Test]
    public void APinIsCheckedInAProjectThatGetsThePackageThroughAnother()
    {
        var result = BuildConsumer(App);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Not.Zero, result.ToString);
            Assert.That(result.Output, Does.Contain(App + " : error VATS0002"));
            Assert.That(result.Output, Does.Not.Contain(Lib + " : error"), "Lib's pins match");
            Assert.That(result.Output, Does.Contain(
                $"contains the lockdown bundle with SHA-256 {LockdownBundle.Sha256}, but this project pins VatsLockdownSha256 to {WrongSha256}"));
            Assert.That(result.Output, Does.Contain($"<VatsLockdownSha256>{LockdownBundle.Sha256}</VatsLockdownSha256>"));
        });
    }
}
