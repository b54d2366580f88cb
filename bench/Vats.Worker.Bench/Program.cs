using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Vats.Bundler;

namespace Vats.Worker.Bench;

/// <summary>
/// The vat worker beside Agoric's xsnap-worker, measured back to back in one run: (1) both workers through Agoric's
/// own @agoric/xsnap driver (the xsnap anchor's "raw" part: spawn, boot bundles, snapshot, restore, a JS loop, '?'
/// round trips), vats-worker from its boot image and evaluating; (2) counter-vat deliveries through the same
/// driver; (3) vats-worker through the C# client, as a C# kernel uses it.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var options = BenchOptions.Parse(args, out var error);
        if (options is null)
        {
            (error is null ? Console.Out : Console.Error).WriteLine(error is null ? BenchOptions.Usage : $"{error}\n{BenchOptions.Usage}");
            return error is null ? 0 : 2;
        }
#if DEBUG
        Console.WriteLine("WARNING: Debug build; use `dotnet run -c Release` for meaningful timings.");
#endif
        var root = FindRoot();
        var worker = Path.Combine(AppContext.BaseDirectory, "vats-worker");
        void Progress(string what) => Console.Error.WriteLine($"[bench] {what}");

        Progress("bundling the counter vat (examples/counter)");
        var counterPath = Path.Combine(root, "examples", "counter", "counter.js");
        var counter = Bundle.Create(counterPath, new BundleOptions { Format = BundleFormat.EndoZipBase64 });
        var counterFile = Path.Combine(Path.GetTempPath(), $"vats-bench-counter-{Environment.ProcessId}.bundle");
        File.WriteAllText(counterFile, counter.Json);

        var anchor = options.Xsnap ? XsnapAnchor.Locate(options, root, Progress) : null;
        JsonElement? xsnapRaw = null, oursImage = null, oursFresh = null, xsnapCounter = null, oursCounter = null;
        var script = Path.Combine(root, "bench", "Vats.Worker.Bench", "counter-deliveries.mjs");
        var cache = Directory.CreateTempSubdirectory("vats-bench-anchor-boot-");
        try
        {
            var parts = options.Parts;
            if (anchor is not null && parts.Contains("raw"))
            {
                Progress($"xsnap-worker through @agoric/xsnap: {options.Reps} reps");
                xsnapRaw = anchor.Raw(null, options.Reps, options.RoundTrips);
                Progress($"vats-worker through @agoric/xsnap, from its boot image (the first rep fills the cache): {options.Reps} reps");
                oursImage = anchor.Raw(worker, options.Reps, options.RoundTrips, new Dictionary<string, string> { ["VATS_BOOT_CACHE"] = cache.FullName });
                var fresh = Math.Min(options.Reps, 3);
                Progress($"vats-worker through @agoric/xsnap, evaluating the boot bundles: {fresh} reps");
                oursFresh = anchor.Raw(worker, fresh, Math.Min(options.RoundTrips, 2000), new Dictionary<string, string> { ["VATS_BOOT_CACHE"] = "off" });
            }
            if (anchor is not null && (parts.Contains("counter") || parts.Contains("checkpoints")))
            {
                var snapshots = parts.Contains("checkpoints") ? options.Reps : 0;
                Progress($"counter vat through @agoric/xsnap: xsnap-worker, {options.Deliveries} deliveries" +
                    (snapshots > 0 ? $", then {snapshots} snapshots saved and restored as SwingSet does" : ""));
                xsnapCounter = anchor.Counter(script, null, counterFile, options.Deliveries, snapshots);
                if (parts.Contains("counter"))
                {
                    Progress($"counter vat through @agoric/xsnap: vats-worker, {options.Deliveries} deliveries");
                    oursCounter = anchor.Counter(script, worker, counterFile, options.Deliveries);
                }
            }
            var client = parts.Contains("client") ? await ClientBench.RunAsync(options, counter.Json, Progress) : null;
            var checkpoints = parts.Contains("checkpoints") ? await CheckpointBench.RunAsync(options, counter.Json, Progress) : null;
            Print(options, xsnapRaw, oursImage, oursFresh, parts.Contains("counter") ? xsnapCounter : null, oursCounter, client);
            if (checkpoints is not null) CheckpointBench.Print(options, xsnapCounter, checkpoints);
        }
        finally
        {
            File.Delete(counterFile);
            cache.Delete(recursive: true);
        }
        return 0;
    }

    private static void Print(BenchOptions options, JsonElement? xsnapRaw, JsonElement? oursImage, JsonElement? oursFresh,
        JsonElement? xsnapCounter, JsonElement? oursCounter, Dictionary<string, Samples>? client)
    {
        Console.WriteLine();
        Console.WriteLine($"vats-worker beside xsnap-worker: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}");
        const string Row = "{0,-44} {1,14} {2,14} {3,8} {4,14} {5,8}";
        static double? Raw(JsonElement? summary, string key) =>
            summary is { } s && s.TryGetProperty(key, out var m) && m.TryGetProperty("median", out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
        static double? Field(JsonElement? summary, string key) => Cells.Field(summary, key);
        static string Format(double? value, string unit) => Cells.Format(value, unit);
        static string Ratio(double? ours, double? theirs) => Cells.Ratio(ours, theirs);

        if (xsnapRaw is not null)
        {
            Console.WriteLine();
            Console.WriteLine($"through Agoric's @agoric/xsnap driver, Agoric's published bundles (median of {options.Reps} reps; evaluating: of up to 3)");
            Console.WriteLine(Row, "", "xsnap-worker", "vats (image)", "ratio", "vats (evaluate)", "ratio");
            void Line(string label, string key, string unit)
            {
                var x = Raw(xsnapRaw, key);
                var image = Raw(oursImage, key);
                var fresh = Raw(oursFresh, key);
                Console.WriteLine(Row, label, Format(x, unit), Format(image, unit), Ratio(image, x), Format(fresh, unit), Ratio(fresh, x));
            }
            Line("spawn -> ready (R)", "spawnReadyMs", "ms");
            Line("evaluate lockdown bundle", "lockdownMs", "ms");
            Line("evaluate supervisor bundle", "supervisorMs", "ms");
            double? Boot(JsonElement? s) => Raw(s, "spawnReadyMs") + Raw(s, "lockdownMs") + Raw(s, "supervisorMs");
            Console.WriteLine(Row, "  spawn + lockdown + supervisor", Format(Boot(xsnapRaw), "ms"), Format(Boot(oursImage), "ms"),
                Ratio(Boot(oursImage), Boot(xsnapRaw)), Format(Boot(oursFresh), "ms"), Ratio(Boot(oursFresh), Boot(xsnapRaw)));
            Line("write heap snapshot", "snapshotWriteMs", "ms");
            Line("heap snapshot size", "snapshotBytes", "B");
            Line("restore snapshot -> first evaluate", "restoreFirstEvalMs", "ms");
            Line("JS loop, 3e6 iterations", "loopMs", "ms");
            Line("'?' round trip", "rttMeanUs", "µs");
            Line("compute: lockdown (XS units vs fuel)", "lockdownCompute", "comp");
            Line("compute: supervisor", "supervisorCompute", "comp");
            Line("compute: loop", "loopCompute", "comp");
        }
        if (xsnapCounter is not null)
        {
            Console.WriteLine();
            Console.WriteLine($"counter vat through @agoric/xsnap ({options.Deliveries} increment deliveries after 50 warm-ups; medians)");
            Console.WriteLine(Row, "", "xsnap-worker", "vats-worker", "ratio", "", "");
            void Line(string label, string key, string unit)
            {
                var x = Field(xsnapCounter, key);
                var o = Field(oursCounter, key);
                Console.WriteLine(Row, label, Format(x, unit), Format(o, unit), Ratio(o, x), "", "");
            }
            Line("startVat (import the bundle, buildRootObject)", "startVatMs", "ms");
            Line("delivery round trip (driver -> worker -> driver)", "wallMsMedian", "ms");
            Line("  worker busy per delivery (meter timestamps)", "busyMsMedian", "ms");
            Line("deliveries per second", "deliveriesPerSec", "/s");
            Line("compute per delivery (XS units vs fuel)", "computeMedian", "comp");
        }

        if (client is null) return;
        Console.WriteLine();
        Console.WriteLine($"vats-worker through the C# client (Vats.KernelClient, socket mode, our bundles; medians)");
        Console.WriteLine(Row, "", "xsnap-worker", "vats-worker", "ratio", "", "");
        void Client(string label, string key, double? reference = null)
        {
            var samples = client.GetValueOrDefault(key);
            var value = samples?.Median;
            Console.WriteLine(Row, label, Format(reference, samples?.Unit ?? "ms"), Format(value, samples?.Unit ?? "ms"), Ratio(value, reference), "", "");
        }
        double? XsnapBoot() => xsnapRaw is null ? null : Raw(xsnapRaw, "spawnReadyMs") + Raw(xsnapRaw, "lockdownMs") + Raw(xsnapRaw, "supervisorMs");
        Client("spawn -> ready (hello + R)", "spawnReady", Raw(xsnapRaw, "spawnReadyMs"));
        Client("boot, evaluating: spawn -> ready for setBundle", "bootFresh", XsnapBoot());
        Client("boot from the image: spawn -> ready for setBundle", "bootImage", XsnapBoot());
        Client("  ... -> setBundle done (image restored)", "bootImageSetBundle");
        Client("'?' round trip", "rttUs", Raw(xsnapRaw, "rttMeanUs"));
        Client("startVat (counter)", "startVat", Field(xsnapCounter, "startVatMs"));
        Client("counter delivery round trip (client)", "deliveryMs", Field(xsnapCounter, "wallMsMedian"));
        Client("  worker busy per delivery", "deliveryBusyMs", Field(xsnapCounter, "busyMsMedian"));
        Client("deliveries per second", "deliveriesPerSec", Field(xsnapCounter, "deliveriesPerSec"));
        Client("compute per delivery (fuel)", "deliveryCompute");
        Client("heap snapshot (counter vat): write", "snapshotMs", Raw(xsnapRaw, "snapshotWriteMs"));
        Client("  size", "snapshotBytes", Raw(xsnapRaw, "snapshotBytes"));
        Client("restore snapshot -> first evaluate", "restoreFirstEvalMs", Raw(xsnapRaw, "restoreFirstEvalMs"));
        if (xsnapRaw is null) Console.WriteLine("(no xsnap reference in this run: the xsnap-worker column is empty)");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Vats.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no Vats.sln above {AppContext.BaseDirectory}");
    }
}
