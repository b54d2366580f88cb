using Vats.Protocol;
using Vats.Worker.Tests.Support;

namespace Vats.Worker.Tests;

/// <summary>
/// The limits a worker runs under are its command line's (<c>-l</c>, <c>--memory-limit-mib</c>), also after it loads a
/// snapshot taken by a worker with other limits: a kernel restores a vat into whatever worker it starts.
/// </summary>
[TestFixture]
public sealed class RestoreLimitsTests
{
    // Grows the heap to about 25 MiB, beyond a 16 MiB limit.
    private const string Grow = "globalThis.keep = globalThis.keep ?? []; for (let i = 0; i < 300; i++) keep.push(new Array(10000).fill(2.5)); 1";

    [Test]
    public void TheComputeLimitOfTheCommandLineAppliesAfterLoading()
    {
        var unlimited = SnapshotOf("unlimited");
        using var worker = Load("limited", unlimited, "-l", "100000");
        worker.Send("efor (;;) {}");
        Assert.That(worker.ReadToEnd(), Is.Empty);
        Assert.That(worker.WaitForExit(), Is.EqualTo(ExitCodes.TooMuchComputation));
    }

    [Test]
    public void NoComputeLimitOnTheCommandLineMeansNoneAfterLoadingASnapshotTakenWithOne()
    {
        var limited = SnapshotOf("limited", "-l", "100000");
        using var worker = Load("unlimited", limited);
        var reply = worker.Evaluate("let s = 0; for (let i = 0; i < 20000; i++) s += i; new TextEncoder().encode(String(s)).buffer");
        Assert.That(reply.Compute, Is.GreaterThan(100000));
    }

    [Test]
    public void TheHeapLimitOfTheCommandLineAppliesAfterLoading()
    {
        // A snapshot taken under the default limit, loaded by a worker limited to 16 MiB: growing past 16 MiB ends it.
        var roomy = SnapshotOf("roomy");
        using var worker = Load("tight", roomy, "--memory-limit-mib", "16");
        worker.Send("e" + Grow);
        var replies = worker.ReadToEnd();
        Assert.Multiple(() =>
        {
            Assert.That(replies.Select(SocketWorker.Show), Is.Empty, "no reply: the heap limit ends the worker");
            Assert.That(worker.WaitForExit(), Is.EqualTo(ExitCodes.NotEnoughMemory));
        });
    }

    [Test]
    public void TheDefaultHeapLimitAppliesAfterLoadingASnapshotTakenUnderASmallerOne()
    {
        // A snapshot taken by a worker limited to 16 MiB, loaded by a worker with the default limit: the heap may grow.
        var tight = SnapshotOf("tight", "--memory-limit-mib", "16");
        using var worker = Load("roomy", tight);
        worker.Send("e" + Grow);
        var reply = worker.ReadMessage();
        Assert.That(SocketWorker.Show(reply), Does.StartWith("."), () => $"the worker exited {worker.WaitForExit()}: {worker.Stderr}");
        Assert.That(OkReply.Parse(reply).Allocate, Is.GreaterThan(16L << 20));
    }

    [Test]
    public void TheHeapLimitOfTheCommandLineAppliesAfterStartingFromAFile()
    {
        using var folder = new TempFolder();
        var path = folder.File("roomy.snapshot");
        File.WriteAllBytes(path, SnapshotOf("roomy"));
        using var worker = SocketWorker.Start("tight-file", "-r", path, "--memory-limit-mib", "16");
        worker.Send("e" + Grow);
        Assert.That(worker.ReadToEnd().Select(SocketWorker.Show), Is.Empty, "no reply: the heap limit ends the worker");
        Assert.That(worker.WaitForExit(), Is.EqualTo(ExitCodes.NotEnoughMemory));
    }

    private static byte[] SnapshotOf(string name, params string[] options)
    {
        using var worker = SocketWorker.Start(name, options);
        worker.Evaluate("globalThis.keep = [];");
        return worker.Snapshot();
    }

    private static SocketWorker Load(string name, byte[] snapshot, params string[] options)
    {
        var worker = SocketWorker.Start(name, options);
        worker.Send(Tags.LoadSnapshot, snapshot);
        Assert.That(worker.ReadMessage(), Is.EqualTo("."u8.ToArray()));
        return worker;
    }
}
