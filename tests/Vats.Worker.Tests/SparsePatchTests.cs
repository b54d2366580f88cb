using Vats.Protocol;

namespace Vats.Worker.Tests;

/// <summary>
/// The sparse patch a delta checkpoint carries per page (and the snapshot store keeps): applying it to the base gives
/// the new version exactly, it stays within its bound, and a malformed patch is an error, never a write outside.
/// </summary>
[TestFixture]
public sealed class SparsePatchTests
{
    [Test]
    public void APatchTurnsTheBaseIntoTheNewVersionWhateverChanged([Values(1, 2, 3, 4, 5)] int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < 400; round++)
        {
            var length = round % 7 == 0 ? random.Next(0, 64) : 4096;
            var @base = new byte[length];
            random.NextBytes(@base);
            var next = (byte[])@base.Clone();
            // From no change to every byte changed, in runs of every width and spacing.
            var edits = random.Next(0, round % 5 == 0 ? length + 1 : 40);
            for (var e = 0; e < edits && length > 0; e++)
            {
                var at = random.Next(length);
                var run = Math.Min(length - at, random.Next(1, round % 3 == 0 ? 300 : 6));
                for (var i = at; i < at + run; i++) next[i] = (byte)(next[i] + 1 + random.Next(255));
            }
            var patch = SparsePatch.Encode(next, @base);
            Assert.That(patch.Length, Is.LessThanOrEqualTo(SparsePatch.MaxLength(length)));
            if (next.AsSpan().SequenceEqual(@base)) Assert.That(patch, Is.Empty, "no change, no patch");
            var rebuilt = (byte[])@base.Clone();
            SparsePatch.Apply(patch, rebuilt);
            Assert.That(rebuilt, Is.EqualTo(next), $"seed {seed}, round {round}");
        }
    }

    [Test]
    public void TheEncodingIsTheDefinitionsByteForByte([Values(1, 2, 3)] int seed)
    {
        // Stores keep patches as written and compare them across versions: the encoder's speed-ups must not change a
        // byte. The definition, byte by byte: runs of differing bytes, joined across fewer than MergeGap equal bytes
        // (unless the equal bytes reach the end), each as LEB128 skip, LEB128 length, the new bytes.
        static byte[] Reference(byte[] next, byte[] @base)
        {
            var output = new List<byte>();
            void Number(int value)
            {
                for (; value >= 0x80; value >>= 7) output.Add((byte)(value | 0x80));
                output.Add((byte)value);
            }
            var n = next.Length;
            var last = 0;
            var i = 0;
            while (i < n)
            {
                while (i < n && next[i] == @base[i]) i++;
                if (i == n) break;
                var start = i;
                var end = i;
                while (true)
                {
                    while (end < n && next[end] != @base[end]) end++;
                    var same = 0;
                    while (end + same < n && next[end + same] == @base[end + same]) same++;
                    if (end == n || end + same == n || same >= SparsePatch.MergeGap) break;
                    end += same;
                }
                Number(start - last);
                Number(end - start);
                output.AddRange(next[start..end]);
                last = i = end;
            }
            return [.. output];
        }

        var random = new Random(seed);
        for (var round = 0; round < 500; round++)
        {
            var length = round % 9 == 0 ? random.Next(0, 200) : 4096;
            var @base = new byte[length];
            if (round % 2 == 0) random.NextBytes(@base);
            var next = (byte[])@base.Clone();
            var edits = random.Next(0, round % 5 == 0 ? 400 : 30);
            for (var e = 0; e < edits && length > 0; e++)
            {
                var at = random.Next(length);
                var run = Math.Min(length - at, random.Next(1, round % 3 == 0 ? 200 : 9));
                var spacing = random.Next(1, 6);
                for (var k = at; k < at + run; k += spacing) next[k] = (byte)(next[k] + 1 + random.Next(255));
            }
            Assert.That(SparsePatch.Encode(next, @base), Is.EqualTo(Reference(next, @base)), $"seed {seed}, round {round}");
        }
    }

    [Test]
    public void RunsCloseTogetherAreWrittenAsOne()
    {
        var @base = new byte[4096];
        var next = (byte[])@base.Clone();
        next[100] = 1;
        next[100 + SparsePatch.MergeGap] = 1;
        next[2000] = 1;
        // One run of MergeGap + 1 bytes (skip 100), one of a byte (skip 2000 - 105).
        Assert.That(SparsePatch.Encode(next, @base), Is.EqualTo(new byte[] { 100, 5, 1, 0, 0, 0, 1, 0xE7, 0x0E, 1, 1 }));
    }

    [TestCase(new byte[] { 0xFA, 0x1F, 10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, TestName = "a run past the end")]
    [TestCase(new byte[] { 0, 8, 1, 2 }, TestName = "a patch cut inside a run")]
    [TestCase(new byte[] { 0, 0 }, TestName = "an empty run")]
    [TestCase(new byte[] { 0x80 }, TestName = "a patch cut inside a number")]
    [TestCase(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }, TestName = "a number too long")]
    public void AMalformedPatchIsAnErrorAndWritesNothingOutside(byte[] patch)
    {
        var buffer = new byte[4096 + 16];
        Assert.Throws<InvalidDataException>(() => SparsePatch.Apply(patch, buffer.AsSpan(0, 4096)));
        Assert.That(buffer.AsSpan(4096).ContainsAnyExcept((byte)0), Is.False);
    }

    [Test]
    public void ADeltaCheckpointWithABadPatchLengthIsRefused()
    {
        var state = "state"u8.ToArray();
        var good = WorkerCheckpoint.EncodeDelta(state, 65536, [3], [3], [0, 1, 7]);
        var decoded = WorkerCheckpoint.Decode(good);
        var memory = decoded.BuildMemory(new byte[65536]);
        Assert.That(memory[3 * 4096], Is.EqualTo(7));
        Assert.That(() => decoded.Page(0), Throws.InstanceOf<InvalidOperationException>(), "a delta holds patches");

        var tooLong = WorkerCheckpoint.EncodeDelta(state, 65536, [3], [3], [0, 1, 7]);
        tooLong[^7] = 4; // the patch length (before the 3 patch bytes): one byte more than there is
        Assert.That(() => WorkerCheckpoint.Decode(tooLong), Throws.InstanceOf<ProtocolException>());
        var outside = WorkerCheckpoint.Decode(WorkerCheckpoint.EncodeDelta(state, 65536, [3], [4], [0x80, 0x20, 1, 7]));
        Assert.That(() => outside.BuildMemory(new byte[65536]), Throws.InstanceOf<ProtocolException>().With.Message.Contains("page 3"));
    }
}
