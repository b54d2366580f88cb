using System.Security.Cryptography;
using Vats.Worker.Tests.Support;

namespace Vats.Worker.Tests;

/// <summary>
/// Two fresh workers fed the same commands agree byte for byte: replies, compute, upcalls and snapshots (whose
/// SHA-256 is consensus data for a kernel).
/// </summary>
[TestFixture]
public sealed class DeterminismTests
{
    private const string Program = """
        globalThis.state = { random: Math.random(), now: Date.now(), perf: performance.now(), items: [] };
        for (let i = 0; i < 200; i++) state.items.push({ i, s: 'item ' + i, r: Math.random() });
        const weak = new WeakRef({});
        const registry = new FinalizationRegistry(() => {});
        registry.register({}, 'held');
        globalThis.handleCommand = message => {
          const text = new TextDecoder().decode(message);
          const answer = new TextDecoder().decode(issueCommand(new TextEncoder().encode('ask:' + text).buffer));
          state.items.push(answer, Math.random(), Date.now());
          const report = {};
          setImmediate(() => {
            gc();
            report.result = new TextEncoder().encode(JSON.stringify([answer, state.items.length, Math.random(), typeof weak.deref()])).buffer;
          });
          return report;
        };
        new TextEncoder().encode(JSON.stringify(state).slice(0, 200)).buffer
        """;

    private sealed record Run(List<string> Replies, List<string> Upcalls, List<string> SnapshotHashes);

    [Test]
    public void TwoFreshWorkersGiveTheSameRepliesComputeAndSnapshots()
    {
        var a = RunOnce("twin-a");
        var b = RunOnce("twin-b");
        Assert.Multiple(() =>
        {
            Assert.That(b.Replies, Is.EqualTo(a.Replies), "replies and meter data (timestamps aside)");
            Assert.That(b.Upcalls, Is.EqualTo(a.Upcalls));
            Assert.That(b.SnapshotHashes, Is.EqualTo(a.SnapshotHashes));
        });
    }

    [Test]
    public void ARestoredWorkerGoesOnExactlyAsTheOriginal()
    {
        // Replay after a restart depends on it: the same upcalls, replies and snapshots from a snapshot as from the original.
        var original = new Run([], [], []);
        var restored = new Run([], [], []);
        byte[] snapshot;
        using (var worker = SocketWorker.Start("original"))
        {
            worker.Evaluate(Program);
            snapshot = worker.Snapshot();
            Continue(worker, original);
        }
        using (var worker = SocketWorker.Start("restored"))
        {
            worker.Send(Protocol.Tags.LoadSnapshot, snapshot);
            Assert.That(worker.ReadMessage(), Is.EqualTo("."u8.ToArray()));
            Continue(worker, restored);
        }
        Assert.Multiple(() =>
        {
            Assert.That(restored.Replies, Is.EqualTo(original.Replies));
            Assert.That(restored.Upcalls, Is.EqualTo(original.Upcalls));
            Assert.That(restored.SnapshotHashes, Is.EqualTo(original.SnapshotHashes));
        });
    }

    private static Run RunOnce(string name)
    {
        var run = new Run([], [], []);
        using var worker = SocketWorker.Start(name);
        run.Replies.Add(worker.Evaluate(Program).Deterministic);
        run.SnapshotHashes.Add(Sha256(worker.Snapshot()));
        Continue(worker, run);
        worker.Send("q");
        Assert.That(worker.WaitForExit(), Is.Zero);
        return run;
    }

    /// <summary>Two commands, each with an upcall, each followed by a snapshot.</summary>
    private static void Continue(SocketWorker worker, Run run)
    {
        foreach (var message in new[] { "one", "two" })
        {
            worker.Send("?" + message);
            run.Upcalls.Add(SocketWorker.Show(worker.ReadMessage()));
            worker.Send("/answer-" + message);
            run.Replies.Add(OkReply.Parse(worker.ReadMessage()).Deterministic);
            run.SnapshotHashes.Add(Sha256(worker.Snapshot()));
        }
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
