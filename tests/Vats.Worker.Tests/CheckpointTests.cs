using System.Security.Cryptography;
using System.Text;
using Vats.Protocol;
using Vats.Worker.Tests.Support;

namespace Vats.Worker.Tests;

/// <summary>
/// Socket-mode checkpoints: <c>K</c> sends a <c>C</c> message (engine state without memory, and memory pages) then a
/// <c>.</c> reply with the page count. Deltas carry exactly the pages changed since the previous checkpoint or load;
/// rebuilt memory and state start a new worker (<c>L</c>) that continues exactly.
/// </summary>
[TestFixture]
public sealed class CheckpointTests
{
    private static WorkerCheckpoint Take(SocketWorker worker, bool full = false)
    {
        var data = worker.Call(full ? "Kfull" : "K");
        Assert.That((char)data[0], Is.EqualTo('C'), SocketWorker.Show(data));
        var reply = OkReply.Parse(worker.ReadMessage());
        var checkpoint = WorkerCheckpoint.Decode(data.AsMemory(1));
        Assert.That(reply.Text, Is.EqualTo(checkpoint.PageIndexes.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return checkpoint;
    }

    [Test]
    public void AFirstCheckpointIsFullThenDeltasCarryOnlyChangedPages()
    {
        using var worker = SocketWorker.Start("deltas", "--no-boot-cache");
        worker.Evaluate("globalThis.big = new Uint8Array(1 << 20); globalThis.n = 0;");
        var first = Take(worker);
        Assert.That(first.IsDelta, Is.False, "no base yet: every non-zero page");
        var memory = first.BuildMemory();
        Assert.That(first.PageIndexes, Has.Count.EqualTo(Enumerable.Range(0, memory.Length / 4096)
            .Count(i => memory.AsSpan(i * 4096, 4096).ContainsAnyExcept((byte)0))));

        // Nothing ran: nothing changed.
        var idle = Take(worker);
        Assert.That((idle.IsDelta, idle.PageIndexes.Count), Is.EqualTo((true, 0)));

        worker.Evaluate("big[123456] = 7; n++;");
        var delta = Take(worker);
        Assert.That(delta.IsDelta, Is.True);
        Assert.That(delta.PageIndexes.Count, Is.InRange(1, 200), "a small change touches few pages");
        var rebuilt = delta.BuildMemory(memory);
        var changed = Enumerable.Range(0, rebuilt.Length / 4096)
            .Where(i => !rebuilt.AsSpan(i * 4096, 4096).SequenceEqual(memory.AsSpan(i * 4096, Math.Min(4096, Math.Max(0, memory.Length - i * 4096)))))
            .ToArray();
        Assert.That(changed, Is.SubsetOf(delta.PageIndexes), "every page that differs was sent");

        // The rebuilt memory is the worker's memory: a full checkpoint now equals it.
        var full = Take(worker, full: true);
        Assert.That(full.BuildMemory(), Is.EqualTo(rebuilt));
        Assert.That(full.State.ToArray(), Is.EqualTo(delta.State.ToArray()));
    }

    [Test]
    public void AWorkerStartedFromACheckpointContinuesExactlyAndDeltasFromThere()
    {
        byte[] state, memory, straightSnapshot;
        using (var first = SocketWorker.Start("ckpt-a", "--no-boot-cache"))
        {
            first.Evaluate("globalThis.log = []; globalThis.handleCommand = (ab) => { log.push(new TextDecoder().decode(ab)); return new TextEncoder().encode(log.join()).buffer; };");
            first.Command("one");
            var checkpoint = Take(first, full: true);
            state = checkpoint.State.ToArray();
            memory = checkpoint.BuildMemory();
            first.Command("two");
            straightSnapshot = first.Snapshot();
        }
        using var second = SocketWorker.Start("ckpt-b", "--no-boot-cache");
        second.Send(Tags.LoadSnapshot, WorkerCheckpoint.EncodeFull(state, memory));
        Assert.That(SocketWorker.Show(second.ReadMessage()), Is.EqualTo("."));
        Assert.That(second.Command("two").Text, Is.EqualTo("one,two"));
        Assert.That(SHA256.HashData(second.Snapshot()), Is.EqualTo(SHA256.HashData(straightSnapshot)), "the same heap, byte for byte");
        var delta = Take(second);
        Assert.That(delta.IsDelta, Is.True, "the load is the base of the next delta");

        // Writes into pages that were zero when loaded and into pages that were not: the deltas rebuild the memory.
        var current = delta.BuildMemory(memory);
        second.Evaluate("globalThis.fresh = new Uint8Array(3 << 20); fresh[5] = 1; fresh[(3 << 20) - 1] = 2; log.push('three');");
        current = Take(second).BuildMemory(current);
        second.Evaluate("fresh[2 << 20] = 3; fresh[5] = 0; log.length = 0;");
        current = Take(second).BuildMemory(current);
        Assert.That(Take(second, full: true).BuildMemory(), Is.EqualTo(current), "every change since the load was sent");
    }

    [Test]
    public void ADeltaCannotStartAWorker()
    {
        byte[] delta;
        using (var first = SocketWorker.Start("delta-src", "--no-boot-cache"))
        {
            Take(first);
            first.Evaluate("globalThis.x = 1;");
            delta = first.Call("K")[1..];
            first.ReadMessage();
        }
        using var second = SocketWorker.Start("delta-load", "--no-boot-cache");
        second.Send(Tags.LoadSnapshot, delta);
        Assert.That(second.Read(), Is.Null);
        Assert.That(second.WaitForExit(), Is.EqualTo(ExitCodes.IoError));
        Assert.That(second.Stderr, Does.Contain("not a delta"));
    }

    [Test]
    public void ATruncatedCheckpointIsRefused()
    {
        var data = WorkerCheckpoint.Encode(Encoding.UTF8.GetBytes("state"), new byte[65536], []);
        Assert.That(() => WorkerCheckpoint.Decode(data.AsMemory(0, data.Length - 1)), Throws.InstanceOf<ProtocolException>());
        Assert.That(WorkerCheckpoint.Decode(data).MemoryBytes, Is.EqualTo(65536));
    }
}
