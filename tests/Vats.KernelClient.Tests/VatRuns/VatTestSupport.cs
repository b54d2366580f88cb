using Vats.Bundler;
using Vats.KernelClient.Local;
using Vats.KernelClient.Tests.Support;

namespace Vats.KernelClient.Tests.VatRuns;

/// <summary>
/// What the vat tests share: one boot-image cache for the whole run (the first boot evaluates the bundles, the others
/// restore), the worker options, and the example vats bundled once each.
/// </summary>
internal static class VatTestSupport
{
    private static readonly Lazy<string> LazyBootCache = new(() => Directory.CreateTempSubdirectory("vats-test-boot-").FullName);
    private static readonly Dictionary<string, string> Bundles = [];

    public static string BootCache => LazyBootCache.Value;

    /// <summary>Options for a test worker: the shared cache, generous timeouts for a loaded machine.</summary>
    public static VatWorkerOptions Options(string name, long? computeLimit = null) => new()
    {
        Name = name,
        BootCacheDirectory = BootCache,
        ComputeLimit = computeLimit,
        HandshakeTimeout = TimeSpan.FromMinutes(2),
    };

    /// <summary>An example vat from examples/NAME/NAME.js, bundled as SwingSet installs vats (endoZipBase64).</summary>
    public static string Example(string name) =>
        BundleOnce(Path.Combine(TestPaths.Root, "examples", name, name + ".js"), Path.Combine(TestPaths.Root, "examples", "node_modules", "@endo", "far", "package.json"),
            "examples");

    /// <summary>A test vat from VatRuns/vats/NAME.js.</summary>
    public static string TestVat(string name) =>
        BundleOnce(Path.Combine(TestPaths.TestsDir, "VatRuns", "vats", name + ".js"), Path.Combine(TestPaths.TestsDir, "node_modules", "@endo", "far", "package.json"),
            "tests/Vats.KernelClient.Tests");

    /// <summary>Agoric's published lockdown and supervisor bundles, pinned in supervisor/package-lock.json.</summary>
    public static WorkerBundles PublishedBundles()
    {
        var modules = Path.Combine(TestPaths.Root, "supervisor", "node_modules", "@agoric");
        var lockdown = Path.Combine(modules, "xsnap-lockdown", "dist", "lockdown.bundle");
        var supervisor = Path.Combine(modules, "swingset-xsnap-supervisor", "dist", "supervisor.bundle");
        Checkout.RequireInstalled(lockdown, "supervisor");
        return WorkerBundles.FromFiles(lockdown, supervisor);
    }

    /// <summary>Boots a vat and starts <paramref name="bundleJson"/> in it under a new <see cref="MiniKernel"/>.</summary>
    public static async Task<(Vat Vat, MiniKernel Kernel, IReadOnlyList<(VatDeliveryObject Delivery, VatDeliveryReport Report)> Start)> StartAsync(
        string name, string bundleJson, WorkerBundles? bundles = null, long? computeLimit = null)
    {
        var vat = await Vat.BootAsync(Options(name, computeLimit), bundles);
        var kernel = new MiniKernel();
        var start = await kernel.StartVatAsync(vat, bundleJson);
        Assert.That(start.All(d => d.Report.Result.IsOk), Is.True, "startVat succeeded");
        return (vat, kernel, start);
    }

    private static string BundleOnce(string entry, string requiredPackage, string installFolder)
    {
        lock (Bundles)
        {
            if (Bundles.TryGetValue(entry, out var json)) return json;
            if (!File.Exists(requiredPackage))
                Checkout.MissingPrerequisite($"{requiredPackage} is not installed: run `npm ci` in {installFolder} (or bash .ci/setup)");
            json = Bundle.Create(entry, new BundleOptions { Format = BundleFormat.EndoZipBase64 }).Json;
            Bundles[entry] = json;
            return json;
        }
    }
}

/// <summary>Removes the run's boot-image cache when the tests are done.</summary>
[SetUpFixture]
public sealed class VatTestCleanup
{
    [OneTimeTearDown]
    public void RemoveBootCache()
    {
        try
        {
            Directory.Delete(VatTestSupport.BootCache, recursive: true);
        }
        catch (IOException)
        {
            // A worker may still be writing; the folder is in the temporary folder.
        }
    }
}
