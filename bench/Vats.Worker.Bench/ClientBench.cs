using System.Diagnostics;
using System.Text;
using Vats.KernelClient;
using Vats.KernelClient.Local;

namespace Vats.Worker.Bench;

/// <summary>vats-worker through the C# client (Vats.KernelClient, socket mode), as a C# kernel uses it.</summary>
internal static class ClientBench
{
    public static async Task<Dictionary<string, Samples>> RunAsync(BenchOptions options, string counterBundle, Action<string> progress)
    {
        var results = new Dictionary<string, Samples>();
        Samples Get(string key, string unit) => results.TryGetValue(key, out var s) ? s : results[key] = new Samples(unit);
        var cache = Directory.CreateTempSubdirectory("vats-bench-boot-");
        try
        {
            VatWorkerOptions Options(string name, bool cached = true) => new()
            {
                Name = name,
                BootCacheDirectory = cache.FullName,
                UseBootCache = cached,
                HandshakeTimeout = TimeSpan.FromMinutes(2),
            };
            var bundles = WorkerBundles.Default;
            var clock = new Stopwatch();

            progress("C# client: spawn → ready");
            for (var i = 0; i < options.Reps; i++)
            {
                clock.Restart();
                var worker = await VatWorker.StartAsync(Options($"bench-spawn-{i}"));
                await worker.IsReadyAsync();
                Get("spawnReady", "ms").Add(clock.Elapsed.TotalMilliseconds);
                await worker.StopAsync();
            }

            // Fresh boots cost seconds each on the interpreter: at most three.
            for (var i = 0; i < Math.Min(options.Reps, 3); i++)
            {
                progress($"C# client: fresh boot {i + 1}");
                clock.Restart();
                await using var vat = await Vat.BootAsync(Options($"bench-fresh-{i}", cached: i == 0), bundles);
                Get("bootFresh", "ms").Add(clock.Elapsed.TotalMilliseconds);
            }

            for (var i = 0; i < options.Reps; i++)
            {
                progress($"C# client: boot from the boot image {i + 1}");
                clock.Restart();
                await using var vat = await Vat.BootAsync(Options($"bench-image-{i}"), bundles);
                Get("bootImage", "ms").Add(clock.Elapsed.TotalMilliseconds);
                var setBundle = $"[\"setBundle\",\"v1\",{counterBundle},{Vat.DefaultLiveSlotsOptions}]";
                var reply = await vat.Worker.CommandAsync(Encoding.UTF8.GetBytes(setBundle), _ => "[\"ok\"]"u8.ToArray());
                if (!reply.Bytes.AsSpan().SequenceEqual("[\"dispatchReady\"]"u8)) throw new InvalidOperationException("setBundle failed");
                Get("bootImageSetBundle", "ms").Add(clock.Elapsed.TotalMilliseconds);
            }

            progress($"C# client: {options.RoundTrips} '?' round trips");
            await using (var vat = await Vat.BootAsync(Options("bench-rtt"), bundles))
            {
                await vat.Worker.EvaluateAsync("globalThis.handleCommand = ab => ab;");
                var payload = "ping"u8.ToArray();
                for (var i = 0; i < 1000; i++) await vat.Worker.CommandAsync(payload, null);
                clock.Restart();
                for (var i = 0; i < options.RoundTrips; i++) await vat.Worker.CommandAsync(payload, null);
                Get("rttUs", "µs").Add(clock.Elapsed.TotalMilliseconds * 1000 / options.RoundTrips);
            }

            progress($"C# client: counter vat, {options.Deliveries} deliveries");
            await using (var vat = await Vat.BootAsync(Options("bench-counter"), bundles))
            {
                var kernel = new MiniKernel();
                clock.Restart();
                await kernel.StartVatAsync(vat, counterBundle);
                Get("startVat", "ms").Add(clock.Elapsed.TotalMilliseconds);
                for (var i = 0; i < 50; i++) await kernel.SendAsync(vat, "increment", "[]");
                var all = Stopwatch.StartNew();
                for (var i = 0; i < options.Deliveries; i++)
                {
                    clock.Restart();
                    var outcome = await kernel.SendAsync(vat, "increment", "[]");
                    Get("deliveryMs", "ms").Add(clock.Elapsed.TotalMilliseconds);
                    var meter = outcome.Deliveries[0].Report.Meter!;
                    Get("deliveryBusyMs", "ms").Add(BusyMs(meter.Timestamps));
                    Get("deliveryCompute", "fuel").Add(meter.Compute);
                }
                Get("deliveriesPerSec", "/s").Add(options.Deliveries / all.Elapsed.TotalSeconds);

                progress("C# client: snapshot and restore");
                for (var i = 0; i < options.Reps; i++)
                {
                    clock.Restart();
                    var snapshot = await vat.SnapshotAsync();
                    Get("snapshotMs", "ms").Add(clock.Elapsed.TotalMilliseconds);
                    Get("snapshotBytes", "B").Add(snapshot.Length);
                    clock.Restart();
                    await using var restored = await Vat.RestoreAsync(snapshot, Options($"bench-restored-{i}"));
                    await restored.Worker.EvaluateAsync("1");
                    Get("restoreFirstEvalMs", "ms").Add(clock.Elapsed.TotalMilliseconds);
                }
            }
        }
        finally
        {
            cache.Delete(recursive: true);
        }
        return results;
    }

    /// <summary>Worker time of a command from its meter timestamps: first to last, less the waits for upcall answers.</summary>
    public static double BusyMs(IReadOnlyList<double> timestamps)
    {
        if (timestamps.Count < 2) return double.NaN;
        var waits = 0.0;
        for (var i = 1; i + 1 < timestamps.Count - 1; i += 2) waits += timestamps[i + 1] - timestamps[i];
        return (timestamps[^1] - timestamps[0] - waits) * 1000;
    }
}
