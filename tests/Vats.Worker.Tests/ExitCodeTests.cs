using Vats.Protocol;
using Vats.Worker.Tests.Support;

namespace Vats.Worker.Tests;

/// <summary>How a worker ends: xsnap's exit codes, and no reply before a fatal exit.</summary>
[TestFixture]
public sealed class ExitCodeTests
{
    [Test]
    public void QuitExitsZeroWithoutAReply()
    {
        using var worker = SocketWorker.Start("quit");
        worker.Evaluate("1");
        worker.Send("q");
        Assert.Multiple(() =>
        {
            Assert.That(worker.ReadToEnd(), Is.Empty);
            Assert.That(worker.WaitForExit(), Is.EqualTo(ExitCodes.Success));
        });
    }

    [Test]
    public void QuitAsTheFirstCommandExitsZero()
    {
        using var worker = SocketWorker.Start("quit-first");
        worker.Send("q");
        Assert.That(worker.WaitForExit(), Is.EqualTo(ExitCodes.Success));
    }

    [Test]
    public void EndOfInputExitsZero()
    {
        using var worker = SocketWorker.Start("eof");
        worker.Evaluate("1");
        worker.EndInput();
        Assert.Multiple(() =>
        {
            Assert.That(worker.ReadToEnd(), Is.Empty);
            Assert.That(worker.WaitForExit(), Is.EqualTo(ExitCodes.Success));
        });
    }

    [Test]
    public void QuitRightAfterACommandThatThrewExits15()
    {
        using var worker = SocketWorker.Start("quit-after-throw");
        Assert.That(worker.CallText("ethrow Error('boom')"), Is.EqualTo("!Error: boom"));
        worker.Send("q");
        Assert.That(worker.WaitForExit(), Is.EqualTo(ExitCodes.UnhandledException));
    }

    [Test]
    public void EndOfInputRightAfterACommandThatThrewExits15()
    {
        using var worker = SocketWorker.Start("eof-after-throw");
        worker.Evaluate("globalThis.handleCommand = () => { throw Error('in handler'); };");
        Assert.That(worker.CallText("?x"), Is.EqualTo("!Error: in handler"));
        worker.EndInput();
        Assert.That(worker.WaitForExit(), Is.EqualTo(ExitCodes.UnhandledException));
    }

    [TestCase("R", 1, TestName = "IsReadyDoesNotClearAPendingThrow")]
    [TestCase("w@socket", 2, TestName = "ASnapshotDoesNotClearAPendingThrow")]
    public void OnlyACrankClearsAPendingThrow(string command, int replies)
    {
        // As xsnap-worker: the error flag is reset only by the next e or ? command.
        using var worker = SocketWorker.Start("throw-then-other");
        worker.CallText("ethrow Error('boom')");
        worker.Send(command);
        for (var i = 0; i < replies; i++) worker.ReadMessage();
        worker.EndInput();
        Assert.That(worker.WaitForExit(), Is.EqualTo(ExitCodes.UnhandledException), "end of input after R or w, the throw still pending");
    }

    [Test]
    public void ASuccessfulCommandAfterTheThrowClearsIt()
    {
        using var worker = SocketWorker.Start("throw-then-ok");
        worker.CallText("ethrow Error('boom')");
        worker.Evaluate("1");
        worker.Send("q");
        Assert.That(worker.WaitForExit(), Is.EqualTo(ExitCodes.Success));
    }

    [Test]
    public void AnExceptionInASetImmediateCallbackExits255WithoutAReply()
    {
        using var worker = SocketWorker.Start("timer-throws");
        worker.Send("esetImmediate(() => { throw Error('escaped'); }); 1");
        Assert.Multiple(() =>
        {
            Assert.That(worker.ReadToEnd(), Is.Empty, "no reply before a fatal exit");
            Assert.That(worker.WaitForExit(), Is.EqualTo(ExitCodes.UnknownError));
            Assert.That(worker.Stderr, Does.Contain("escaped"));
        });
    }

    [Test]
    public void TheComputeLimitExits17WithoutAReply()
    {
        using var worker = SocketWorker.Start("spin", "-l", "100000");
        // Short work stays under the limit, which applies to each command afresh.
        worker.Evaluate("1");
        worker.Evaluate("2");
        worker.Send("efor (;;) {}");
        Assert.Multiple(() =>
        {
            Assert.That(worker.ReadToEnd(), Is.Empty, "no reply before a fatal exit");
            Assert.That(worker.WaitForExit(), Is.EqualTo(ExitCodes.TooMuchComputation));
            Assert.That(worker.Stderr, Does.Contain("compute meter exceeded"));
        });
    }

    [Test]
    public void TheComputeLimitCoversSetImmediateCallbacksAndHandleCommand()
    {
        using var worker = SocketWorker.Start("spin-later", "-l", "1000000");
        worker.Evaluate("globalThis.handleCommand = () => { setImmediate(() => { for (;;) {} }); return {}; };");
        worker.Send("?go");
        Assert.Multiple(() =>
        {
            Assert.That(worker.ReadToEnd(), Is.Empty);
            Assert.That(worker.WaitForExit(), Is.EqualTo(ExitCodes.TooMuchComputation));
        });
    }

    [Test]
    public void TheHeapLimitExits11WithoutAReply()
    {
        using var worker = SocketWorker.Start("hog", "--memory-limit-mib", "16");
        worker.Evaluate("globalThis.keep = [];");
        worker.Send("efor (;;) keep.push(new Array(10000).fill(1.5));");
        Assert.Multiple(() =>
        {
            Assert.That(worker.ReadToEnd(), Is.Empty, "no reply before a fatal exit");
            Assert.That(worker.WaitForExit(), Is.EqualTo(ExitCodes.NotEnoughMemory));
            Assert.That(worker.Stderr, Does.Contain("allocate meter exceeded"));
        });
    }

    [Test]
    public void WithoutALimitTheSameLoopThatEndsRuns()
    {
        // The limit, not the loop, ends the worker above: a long finite loop completes without -l.
        using var worker = SocketWorker.Start("no-limit");
        var reply = worker.Evaluate("let s = 0; for (let i = 0; i < 20000; i++) s += i; new TextEncoder().encode(String(s)).buffer");
        Assert.That(reply.Text, Is.EqualTo("199990000"));
        Assert.That(reply.Compute, Is.GreaterThan(100000));
    }
}
