namespace Vats.Bundler.Tests;

/// <summary>Bundles of real npm packages (ses, @agoric/swingset-liveslots) run under SES in Node.</summary>
[TestFixture]
public sealed class RealPackagesTests
{
    [Test]
    public void LockdownAndLiveslotsBundlesRunUnderSes()
    {
        RepoPaths.RequireHarness();
        var dir = Directory.CreateTempSubdirectory("vats-real-");
        try
        {
            string entries = Path.Combine(RepoPaths.Harness, "entries");
            var lockdown = Bundle.Create(Path.Combine(entries, "lockdown.js"));
            var nested = Bundle.Create(Path.Combine(entries, "liveslots.js"));
            var zip = Bundle.Create(Path.Combine(entries, "liveslots.js"), new BundleOptions { Format = BundleFormat.EndoZipBase64 });
            Assert.That(nested.ModuleCount, Is.GreaterThan(50), "liveslots pulls in its whole dependency graph");
            string Write(string name, Bundle b)
            {
                string path = Path.Combine(dir.FullName, name);
                b.WriteTo(path);
                return path;
            }
            var (exit, output) = NodeProcess.Run("realpkgs.mjs",
                Write("lockdown.bundle", lockdown), Write("liveslots.bundle", nested), Write("liveslots-zip.bundle", zip));
            TestContext.Out.WriteLine(output);
            Assert.That(output, Does.Contain("real-packages: all ok"));
            Assert.That(exit, Is.Zero);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
