using System.Security.Cryptography;
using Vats.KernelClient.Local;

namespace Vats.KernelClient.Tests.VatRuns;

/// <summary>
/// Snapshot → new worker process → continue must be indistinguishable from never stopping: the same syscalls, the
/// same results, and byte-identical heap snapshots at the end.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public sealed class ContinuityTests
{
    private static readonly (string Method, string Args)[] Before = [("open", "[\"alice\"]"), ("deposit", "[\"alice\", 3]")];
    private static readonly (string Method, string Args)[] After = [("deposit", "[\"alice\", 4]"), ("open", "[\"carol\"]"), ("names", "[]"), ("balance", "[\"alice\"]")];

    [Test]
    public async Task ARestoredVatContinuesExactlyAsOneThatNeverStopped()
    {
        var bundle = VatTestSupport.Example("collections");

        // Straight through, in one worker.
        var (straight, straightKernel, _) = await VatTestSupport.StartAsync("straight", bundle);
        List<string> straightSyscalls;
        byte[] straightFinal;
        await using (straight)
        {
            foreach (var (method, args) in Before) await straightKernel.SendAsync(straight, method, args);
            straightSyscalls = await RunAsync(straight, straightKernel);
            straightFinal = await straight.SnapshotAsync();
        }

        // Stopped after Before: a checkpoint, then a new process continues.
        var (first, kernel, _) = await VatTestSupport.StartAsync("first", bundle);
        var firstProcess = first.Worker.ProcessId;
        VatCheckpoint checkpoint;
        await using (first)
        {
            foreach (var (method, args) in Before) await kernel.SendAsync(first, method, args);
            checkpoint = VatCheckpoint.FromBytes(new VatCheckpoint(kernel.SaveState(), await first.SnapshotAsync()).ToBytes());
        }
        await using var second = await Vat.RestoreAsync(checkpoint.WorkerSnapshot, VatTestSupport.Options("second"));
        Assert.That(second.Worker.ProcessId, Is.Not.EqualTo(firstProcess));
        var continued = MiniKernel.FromState(checkpoint.KernelState);
        var resumedSyscalls = await RunAsync(second, continued);
        var resumedFinal = await second.SnapshotAsync();

        Assert.Multiple(() =>
        {
            Assert.That(resumedSyscalls, Is.EqualTo(straightSyscalls));
            Assert.That(Convert.ToHexStringLower(SHA256.HashData(resumedFinal)), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(straightFinal))),
                "the final heap snapshots are byte-identical");
            Assert.That(continued.VatStore, Is.EqualTo(straightKernel.VatStore));
        });
        Assert.That(straightSyscalls, Has.Some.Contains("\"vatstoreSet\""), "the test exercises the vatstore");
    }

    [Test]
    public async Task TwoWorkersFedTheSameDeliveriesWriteIdenticalSnapshots()
    {
        var bundle = VatTestSupport.Example("counter");
        var hashes = new List<string>();
        foreach (var name in new[] { "twin-a", "twin-b" })
        {
            var (vat, kernel, _) = await VatTestSupport.StartAsync(name, bundle);
            await using (vat)
            {
                await kernel.SendAsync(vat, "increment", "[]");
                await kernel.BringOutYourDeadAsync(vat);
                hashes.Add(Convert.ToHexStringLower(SHA256.HashData(await vat.SnapshotAsync())));
            }
        }
        Assert.That(hashes[1], Is.EqualTo(hashes[0]));
    }

    [Test]
    public async Task ABootFromTheImageIsIndistinguishableFromEvaluating()
    {
        var bundle = VatTestSupport.Example("host-echo");
        // Make sure the image exists, then boot once from it and once evaluating the bundles.
        await (await Vat.BootAsync(VatTestSupport.Options("warm"))).DisposeAsync();
        var runs = new List<(List<string> Log, string Snapshot)>();
        foreach (var (name, cached) in new[] { ("from-image", true), ("evaluated", false) })
        {
            var options = VatTestSupport.Options(name) with { UseBootCache = cached };
            await using var vat = await Vat.BootAsync(options);
            var kernel = new MiniKernel();
            var log = new List<string>();
            foreach (var (delivery, report) in await kernel.StartVatAsync(vat, bundle))
                log.AddRange(report.Syscalls.Select(s => $"{delivery.Tag} {s.Json} → {s.Result}"));
            var outcome = await kernel.SendAsync(vat, "ask", "[\"same?\"]");
            foreach (var (delivery, report) in outcome.Deliveries)
                log.AddRange(report.Syscalls.Select(s => $"{delivery.Tag} {s.Json} → {s.Result}"));
            runs.Add((log, Convert.ToHexStringLower(SHA256.HashData(await vat.SnapshotAsync()))));
        }
        Assert.Multiple(() =>
        {
            Assert.That(runs[0].Log, Is.EqualTo(runs[1].Log));
            Assert.That(runs[0].Snapshot, Is.EqualTo(runs[1].Snapshot), "the same heap, byte for byte");
        });
        Assert.That(runs[0].Log, Has.Some.Contains("host said: same?"));
    }

    /// <summary>The After messages; every syscall and every result, as text.</summary>
    private static async Task<List<string>> RunAsync(Vat vat, MiniKernel kernel)
    {
        var log = new List<string>();
        foreach (var (method, args) in After)
        {
            var outcome = await kernel.SendAsync(vat, method, args);
            foreach (var (delivery, report) in outcome.Deliveries)
            {
                log.Add($"deliver {delivery} → {report.Result}");
                log.AddRange(report.Syscalls.Select(s => $"  {s.Json} → {s.Result}"));
            }
            log.Add($"result {outcome.Resolution?.Data}");
        }
        return log;
    }
}
