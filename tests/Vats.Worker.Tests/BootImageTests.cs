using Vats.Protocol;
using Vats.Worker.Tests.Support;

namespace Vats.Worker.Tests;

/// <summary>
/// The boot-image cache: a worker booting with the real lockdown and supervisor bundles stores the state after each,
/// and a later worker that evaluates the same bundles is answered from the cache — indistinguishably: the same reply
/// bytes and meter figures, the same snapshot, the same behaviour afterwards. The cold boot (seconds of evaluation) runs
/// once for the fixture; each test works on a copy of its cache.
/// </summary>
[TestFixture]
public sealed partial class BootImageTests
{
    private TempFolder _cache = null!;
    private BootRun _cold = null!;

    [OneTimeSetUp]
    public void ColdBoot()
    {
        _cache = new TempFolder("vwt-boot-");
        _cold = BootRun.Run("cold", _cache.Path, workAfterBoot: true);
        Assert.That(_cold.ExitCode, Is.EqualTo(ExitCodes.Success), _cold.Stderr);
    }

    [OneTimeTearDown]
    public void RemoveCache() => _cache?.Dispose();

    [Test]
    public void TheColdBootAnswersAsEvaluatingDoes()
    {
        Assert.Multiple(() =>
        {
            // The bundles return module namespaces, not ArrayBuffers: empty replies, and much fuel.
            Assert.That(_cold.Lockdown.Bytes, Is.Empty);
            Assert.That(_cold.Supervisor.Bytes, Is.Empty);
            Assert.That(_cold.Lockdown.Compute, Is.GreaterThan(10_000_000));
            Assert.That(_cold.Supervisor.Compute, Is.GreaterThan(10_000_000));
            Assert.That(_cold.Upcall, Is.EqualTo("?[\"after boot\",true,\"function\",\"function\"]"), "lockdown is in force");
            Assert.That(_cold.AfterUpcall!.Text, Is.EqualTo("got the answer"));
            Assert.That(_cold.Stderr, Is.Empty);
        });
    }

    [Test]
    public void TheColdBootStoredAnImageForEachBundle()
    {
        var entries = BootCacheFolder.Entries(_cache.Path);
        Assert.Multiple(() =>
        {
            Assert.That(entries.Select(e => e.KeyHex), Has.All.Match("^[0-9a-f]{64}$"));
            Assert.That(entries, Has.All.Matches<BootCacheFolder.Entry>(e => e.Answer is not null && e.SnapshotIntact), "every entry passes the worker's checks");
            Assert.That(ImageOf(entries, _cold.Lockdown), Is.Not.Null, "an image of the state after the lockdown bundle");
            Assert.That(ImageOf(entries, _cold.Supervisor), Is.Not.Null, "an image of the state after the supervisor bundle");
        });
    }

    [Test]
    public void ASecondWorkerBootsFromTheCacheIndistinguishably()
    {
        using var cache = CopyOfCache();
        using var side = new TempFolder();
        var entries = BootCacheFolder.Entries(cache.Path);
        var lockdownLink = BootCacheFolder.Watch(ImageOf(entries, _cold.Lockdown)!.Path, side.Path);
        var supervisorLink = BootCacheFolder.Watch(ImageOf(entries, _cold.Supervisor)!.Path, side.Path);

        var warm = BootRun.Run("warm", cache.Path, workAfterBoot: true);

        Assert.Multiple(() =>
        {
            Assert.That(BootCacheFolder.WasHit(lockdownLink), Is.True, "the lockdown step was answered from the cache");
            Assert.That(BootCacheFolder.WasHit(supervisorLink), Is.True, "the supervisor step was answered from the cache");
            AssertSameBoot(warm);
            Assert.That(warm.Upcall, Is.EqualTo(_cold.Upcall));
            Assert.That(warm.AfterUpcall!.Deterministic, Is.EqualTo(_cold.AfterUpcall!.Deterministic));
            Assert.That(warm.LaterSnapshotSha256, Is.EqualTo(_cold.LaterSnapshotSha256));
            Assert.That(warm.ExitCode, Is.EqualTo(ExitCodes.Success));
            Assert.That(warm.Stderr, Is.Empty);
        });
    }

    private void AssertSameBoot(BootRun run)
    {
        foreach (var (cold, warm, step) in new[] { (_cold.Lockdown, run.Lockdown, "lockdown"), (_cold.Supervisor, run.Supervisor, "supervisor") })
        {
            Assert.That(warm.Bytes, Is.EqualTo(cold.Bytes), $"{step}: reply bytes");
            Assert.That(warm.Compute, Is.EqualTo(cold.Compute), $"{step}: compute");
            Assert.That(warm.CurrentHeapCount, Is.EqualTo(cold.CurrentHeapCount), $"{step}: currentHeapCount");
            Assert.That(warm.Allocate, Is.EqualTo(cold.Allocate), $"{step}: allocate");
            Assert.That(warm.Deterministic, Is.EqualTo(cold.Deterministic), $"{step}: the whole reply but the timestamps");
            Assert.That(warm.Timestamps, Has.Count.EqualTo(2), $"{step}: timestamps");
        }
        Assert.That(run.BootSnapshotSha256, Is.EqualTo(_cold.BootSnapshotSha256), "the snapshot after the boot");
    }

    /// <summary>The cache entry whose stored answer is <paramref name="reply"/>'s (its compute tells the bundles apart).</summary>
    private static BootCacheFolder.Entry? ImageOf(List<BootCacheFolder.Entry> entries, OkReply reply) =>
        entries.SingleOrDefault(e => e.Answer is { } answer && answer.Compute == reply.Compute && answer.HeapCount == reply.CurrentHeapCount);

    private TempFolder CopyOfCache()
    {
        var copy = new TempFolder("vwt-boot-");
        foreach (var file in Directory.GetFiles(_cache.Path)) File.Copy(file, copy.File(Path.GetFileName(file)));
        return copy;
    }
}
