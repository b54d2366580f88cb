using System.Buffers.Binary;
using System.Text;
using Vats.Protocol;
using Vats.Worker.Tests.Support;

namespace Vats.Worker.Tests;

/// <summary>
/// Socket-mode snapshots: <c>w</c> sends an <c>S</c> message with the snapshot, then a <c>.</c> reply with its byte
/// count; a new worker continues from it when its first command is <c>L</c> + those bytes.
/// </summary>
[TestFixture]
public sealed class SnapshotTests
{
    private const string Counter = """
        globalThis.counter = 40;
        globalThis.handleCommand = () => new TextEncoder().encode('counter ' + (globalThis.counter += 1)).buffer;
        """;

    [Test]
    public void WriteSendsTheSnapshotThenItsByteCount()
    {
        using var worker = SocketWorker.Start("write");
        worker.Evaluate("globalThis.x = 1;");
        var data = worker.Call("w@socket");
        var reply = OkReply.Parse(worker.ReadMessage());
        Assert.Multiple(() =>
        {
            Assert.That((char)data[0], Is.EqualTo('S'));
            Assert.That(reply.Text, Is.EqualTo((data.Length - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(reply.Compute, Is.Zero, "w is not a crank: xsnap reports compute 0");
            Assert.That(reply.MeterKeys, Is.EqualTo(new[] { "currentHeapCount", "compute", "allocate", "timestamps" }));
        });
        // The worker goes on after a snapshot.
        Assert.That(worker.Evaluate("new TextEncoder().encode(String(x)).buffer").Text, Is.EqualTo("1"));
    }

    [Test]
    public void TheSnapshotIsHeaderAndBody()
    {
        using var worker = SocketWorker.Start("framing");
        var snapshot = worker.Snapshot();
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.ASCII.GetString(snapshot, 0, 8), Is.EqualTo("VATSWSNP"));
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(snapshot.AsSpan(8)), Is.EqualTo(1u));
            Assert.That(BinaryPrimitives.ReadInt64LittleEndian(snapshot.AsSpan(12)), Is.EqualTo(snapshot.Length - 20));
            Assert.That(WorkerSnapshot.Unwrap(snapshot).Length, Is.EqualTo(snapshot.Length - WorkerSnapshot.HeaderSize));
        });
    }

    [Test]
    public void ANewWorkerLoadingTheSnapshotContinuesWithTheSameState()
    {
        byte[] snapshot;
        string original;
        using (var first = SocketWorker.Start("before"))
        {
            first.Evaluate(Counter);
            Assert.That(first.Command("tick").Text, Is.EqualTo("counter 41"));
            snapshot = first.Snapshot();
            original = first.Command("tick").Text;
            first.Send("q");
            Assert.That(first.WaitForExit(), Is.Zero);
        }
        using var second = SocketWorker.Start("after");
        second.Send(Tags.LoadSnapshot, snapshot);
        Assert.That(second.ReadMessage(), Is.EqualTo("."u8.ToArray()), "L replies a bare dot");
        Assert.Multiple(() =>
        {
            Assert.That(original, Is.EqualTo("counter 42"));
            Assert.That(second.Command("tick").Text, Is.EqualTo("counter 42"), "handleCommand and the counter came along");
            Assert.That(second.Command("tick").Text, Is.EqualTo("counter 43"));
            Assert.That(second.CallText("R"), Is.EqualTo("."));
        });
    }

    [Test]
    public void ARestoredWorkerWritesTheSameSnapshotAgain()
    {
        byte[] snapshot;
        using (var first = SocketWorker.Start("origin"))
        {
            first.Evaluate(Counter);
            first.Command("tick");
            snapshot = first.Snapshot();
            // Nothing ran in between: the same bytes.
            Assert.That(first.Snapshot(), Is.EqualTo(snapshot));
        }
        using var second = SocketWorker.Start("copy");
        second.Send(Tags.LoadSnapshot, snapshot);
        Assert.That(second.ReadMessage(), Is.EqualTo("."u8.ToArray()));
        Assert.That(second.Snapshot(), Is.EqualTo(snapshot));
    }

    [Test]
    public void PendingWorkDoesNotSurviveButTimersRanBeforeTheSnapshot()
    {
        // Every crank runs to quiescence, so a snapshot between commands holds no pending jobs or timers.
        byte[] snapshot;
        using (var first = SocketWorker.Start("quiescent"))
        {
            first.Evaluate("globalThis.log = []; setImmediate(() => log.push('timer')); Promise.resolve().then(() => log.push('job'));");
            snapshot = first.Snapshot();
        }
        using var second = SocketWorker.Start("quiescent-restored");
        second.Send(Tags.LoadSnapshot, snapshot);
        second.ReadMessage();
        Assert.That(second.Evaluate("new TextEncoder().encode(log.join()).buffer").Text, Is.EqualTo("job,timer"));
    }
}
