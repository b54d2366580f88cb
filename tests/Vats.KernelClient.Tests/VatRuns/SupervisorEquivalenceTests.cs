namespace Vats.KernelClient.Tests.VatRuns;

/// <summary>
/// Our supervisor and lockdown bundles (built from the pinned npm sources by our bundler) and Agoric's published
/// dist bundles of the same versions must drive a vat identically: the same syscalls and results for the same
/// deliveries.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public sealed class SupervisorEquivalenceTests
{
    private static readonly Dictionary<string, (string Method, string Args)[]> Scripts = new()
    {
        ["counter"] = [("increment", "[]"), ("add", "[41]"), ("add", "[\"x\"]"), ("get", "[]")],
        ["host-echo"] = [("ask", "[\"one\"]"), ("ask", "[{\"nested\":[1,2]}]"), ("asked", "[]")],
        ["collections"] = [("open", "[\"alice\"]"), ("deposit", "[\"alice\", 5]"), ("open", "[\"alice\"]"), ("names", "[]")],
    };

    [TestCase("counter")]
    [TestCase("host-echo")]
    [TestCase("collections")]
    public async Task OurBundlesAndThePublishedOnesGiveTheSameSyscalls(string example)
    {
        var bundle = VatTestSupport.Example(example);
        var ours = await TranscriptAsync($"ours-{example}", bundle, WorkerBundles.Default);
        var published = await TranscriptAsync($"published-{example}", bundle, VatTestSupport.PublishedBundles());
        Assert.That(ours, Is.EqualTo(published));
        Assert.That(ours.Count(line => line.StartsWith("  [", StringComparison.Ordinal)), Is.GreaterThan(Scripts[example].Length), "syscalls were compared");
    }

    private static async Task<List<string>> TranscriptAsync(string name, string bundle, WorkerBundles bundles)
    {
        var (vat, kernel, start) = await VatTestSupport.StartAsync(name, bundle, bundles);
        await using var _vat = vat;
        var log = new List<string>();
        void Add(VatDeliveryObject delivery, VatDeliveryReport report)
        {
            log.Add($"deliver {delivery} → {report.Result}");
            log.AddRange(report.Syscalls.Select(s => $"  {s.Json} → {s.Result}"));
        }
        foreach (var (delivery, report) in start) Add(delivery, report);
        foreach (var (method, args) in Scripts[name.Split('-', 2)[1]])
        {
            var outcome = await kernel.SendAsync(vat, method, args);
            foreach (var (delivery, report) in outcome.Deliveries) Add(delivery, report);
        }
        var boyd = await kernel.BringOutYourDeadAsync(vat);
        Add(new BringOutYourDeadDelivery(), boyd);
        return log;
    }
}
