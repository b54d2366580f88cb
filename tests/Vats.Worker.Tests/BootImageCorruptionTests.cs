using Vats.Protocol;
using Vats.Worker.Tests.Support;

namespace Vats.Worker.Tests;

/// <summary>
/// A damaged cache entry must never change what a worker answers: it is ignored (the worker evaluates), and rewritten,
/// so that the next worker is served from the cache again.
/// </summary>
public sealed partial class BootImageTests
{
    public enum Damage
    {
        /// <summary>One bit flipped in the stored answer (reply and meter figures), which a hit reads.</summary>
        FlipInAnswer,

        /// <summary>One bit flipped in the middle of the engine snapshot, which is read only when the engine is needed.</summary>
        FlipInSnapshot,

        /// <summary>The file cut in half: the answer is intact, the snapshot is not.</summary>
        TruncateToHalf,

        /// <summary>The file cut inside its header.</summary>
        TruncateToTenBytes,

        /// <summary>An empty file under the entry's name.</summary>
        Empty,
    }

    [TestCase(Damage.FlipInAnswer)]
    [TestCase(Damage.FlipInSnapshot)]
    [TestCase(Damage.TruncateToHalf)]
    [TestCase(Damage.TruncateToTenBytes)]
    [TestCase(Damage.Empty)]
    public void ADamagedSupervisorImageIsIgnoredAndRewritten(Damage damage)
    {
        using var cache = CopyOfCache();
        var path = ImageOf(BootCacheFolder.Entries(cache.Path), _cold.Supervisor)!.Path;
        Harm(path, damage);
        Assert.That(BootCacheFolder.Entries(cache.Path).Single(e => e.Path == path),
            Has.Property(nameof(BootCacheFolder.Entry.SnapshotIntact)).False, "the damage is one the worker's checks see");

        var repaired = BootRun.Run("repair", cache.Path, workAfterBoot: false);
        Assert.Multiple(() =>
        {
            AssertSameBoot(repaired);
            Assert.That(repaired.ExitCode, Is.EqualTo(ExitCodes.Success));
            // Said on stderr, not to the parent.
            Assert.That(repaired.Stderr, Does.Contain(Path.GetFileNameWithoutExtension(path)).Or.Contain(path));
        });

        var entry = BootCacheFolder.Entries(cache.Path).SingleOrDefault(e => e.Path == path);
        Assert.That(entry, Is.Not.Null, $"the supervisor image was rewritten after the damage ({damage}); worker stderr: {repaired.Stderr}");
        Assert.That(entry!.Answer is not null && entry.SnapshotIntact, Is.True, "the rewritten image passes the worker's checks");

        // A third worker is served from the rewritten image, as from the original.
        using var side = new TempFolder();
        var link = BootCacheFolder.Watch(path, side.Path);
        var third = BootRun.Run("after-repair", cache.Path, workAfterBoot: true);
        Assert.Multiple(() =>
        {
            Assert.That(BootCacheFolder.WasHit(link), Is.True, "the third worker hit the rewritten image");
            AssertSameBoot(third);
            Assert.That(third.Upcall, Is.EqualTo(_cold.Upcall));
            Assert.That(third.LaterSnapshotSha256, Is.EqualTo(_cold.LaterSnapshotSha256));
            Assert.That(third.Stderr, Is.Empty);
        });
    }

    [Test]
    public void ADamagedLockdownImageDoesNotChangeTheBoot()
    {
        // Both steps hit, and only the last image is restored: whatever is wrong with the first, the boot is right.
        using var cache = CopyOfCache();
        var path = ImageOf(BootCacheFolder.Entries(cache.Path), _cold.Lockdown)!.Path;
        Harm(path, Damage.FlipInAnswer);
        var run = BootRun.Run("lockdown-damaged", cache.Path, workAfterBoot: true);
        Assert.Multiple(() =>
        {
            AssertSameBoot(run);
            Assert.That(run.Upcall, Is.EqualTo(_cold.Upcall));
            Assert.That(run.LaterSnapshotSha256, Is.EqualTo(_cold.LaterSnapshotSha256));
        });
    }

    private static void Harm(string path, Damage damage)
    {
        var bytes = File.ReadAllBytes(path);
        switch (damage)
        {
            case Damage.FlipInAnswer:
                // Header: magic (8), version (4), key (32), answer length (4); the answer starts with the compute.
                bytes[48 + 1] ^= 0x01;
                break;
            case Damage.FlipInSnapshot:
                bytes[bytes.Length / 2] ^= 0x01;
                break;
            case Damage.TruncateToHalf:
                bytes = bytes[..(bytes.Length / 2)];
                break;
            case Damage.TruncateToTenBytes:
                bytes = bytes[..10];
                break;
            case Damage.Empty:
                bytes = [];
                break;
        }
        File.WriteAllBytes(path, bytes);
    }
}
