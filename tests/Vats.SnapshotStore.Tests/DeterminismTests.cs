using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Vats.SnapshotStore.Tests.Support;

namespace Vats.SnapshotStore.Tests;

public sealed class DeterminismTests
{
    [Test]
    public void TheSameHistoryGivesTheSameRootsInStoresWithDifferentSettings()
    {
        using var folder = new TempFolder();
        using var a = folder.Open("a.db");
        using var b = folder.Open("b.db", new SnapshotStoreOptions { MaxDeltaChain = 2, HeadInterval = 0, CompressionLevel = 0, MaxManifestChain = 1 });
        using var engineA = Heaps.Small();
        using var engineB = Heaps.Small();
        var first = new Checkpointer(a, "v1", engineA);
        var second = new Checkpointer(b, "v1", engineB);
        for (var i = 0; i < 8; i++)
        {
            Heaps.Mutate(engineA, i);
            Heaps.Mutate(engineB, i);
            Assert.That(second.Checkpoint().Root, Is.EqualTo(first.Checkpoint().Root), $"checkpoint {i}");
        }
        // A full save of the same snapshot gives the same root as the chain of delta saves that led to it.
        using var c = folder.Open("c.db");
        var full = c.SaveFull("v1", first.Position, Heaps.Identity, engineA.SnapshotWithoutMemory(), engineA.Memory);
        Assert.That(full.Root, Is.EqualTo(first.Last));
    }

    [Test]
    public void EveryPartOfTheIdentityIsInTheRoot()
    {
        using var folder = new TempFolder();
        using var store = folder.Open();
        var memory = new byte[64 << 10];
        memory[10] = 1;
        var identity = new SnapshotIdentity("engine", "runtime", ["lockdown", "supervisor"]);
        var roots = new[]
        {
            store.SaveFull("v1", 1, identity, [1], memory).Root,
            store.SaveFull("v2", 1, identity, [1], memory).Root,
            store.SaveFull("v1", 2, identity, [1], memory).Root,
            store.SaveFull("v1", 3, identity with { EngineSha256 = "other" }, [1], memory).Root,
            store.SaveFull("v1", 4, identity with { RuntimeVersion = "other" }, [1], memory).Root,
            store.SaveFull("v1", 5, identity with { BootBundleHashes = ["lockdown"] }, [1], memory).Root,
            store.SaveFull("v1", 6, identity, [2], memory).Root,
        };
        Assert.That(roots.Distinct().Count(), Is.EqualTo(roots.Length));
    }

    /// <summary>The root as README defines it, computed here independently of the store's code.</summary>
    [Test]
    public void TheRootIsTheSha256OfTheDocumentedCanonicalManifest()
    {
        using var folder = new TempFolder();
        using var store = folder.Open();
        var memory = new byte[3 * 4096];
        memory[4096 + 7] = 42;
        byte[] state = [9, 8, 7];
        var identity = new SnapshotIdentity("e", "r", ["b1", "b2"]);
        var saved = store.SaveFull("vat-7", 12, identity, state, memory);

        var canonical = new List<byte>();
        void U32(uint v) { var b = new byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(b, v); canonical.AddRange(b); }
        void I64(long v) { var b = new byte[8]; BinaryPrimitives.WriteInt64LittleEndian(b, v); canonical.AddRange(b); }
        void Str(string s) { U32((uint)Encoding.UTF8.GetByteCount(s)); canonical.AddRange(Encoding.UTF8.GetBytes(s)); }
        canonical.AddRange("VATSSNAP"u8.ToArray());
        U32(1);
        Str("e");
        Str("r");
        U32(2);
        Str("b1");
        Str("b2");
        Str("vat-7");
        I64(12);
        U32(4096);
        I64(memory.Length);
        U32(3);
        canonical.AddRange(SHA256.HashData(state));
        canonical.AddRange(new byte[32]);
        canonical.AddRange(SHA256.HashData(memory.AsSpan(4096, 4096)));
        canonical.AddRange(new byte[32]);
        Assert.That(saved.Root.ToString(), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(canonical.ToArray()))));
        Assert.That(SnapshotRoot.Parse(saved.Root.ToString()), Is.EqualTo(saved.Root));
    }
}
