using Vats.Worker.Tests.Support;

namespace Vats.Worker.Tests;

/// <summary>What JavaScript in a worker sees and does beyond the protocol: print, faults it can catch, rejections.</summary>
[TestFixture]
public sealed class EngineBehaviourTests
{
    [Test]
    public void PrintWritesLinesToStandardOutputNotToTheChannel()
    {
        using var worker = SocketWorker.Start("printer");
        var reply = worker.Evaluate("print('first line'); print('second', 2); new TextEncoder().encode('done').buffer");
        Assert.That(reply.Text, Is.EqualTo("done"));
        worker.Send("q");
        Assert.That(worker.WaitForExit(), Is.Zero);
        Assert.That(worker.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Does.Contain("first line"));
        Assert.That(worker.Stdout, Does.Contain("second"));
    }

    [Test]
    public void AStackOverflowIsACatchableErrorAndTheWorkerGoesOn()
    {
        // A known difference from XS (exit 12 there): QuickJS throws an InternalError the command can report.
        using var worker = SocketWorker.Start("deep");
        Assert.That(worker.CallText("efunction f() { return f() + 1; } f()"), Does.StartWith("!InternalError").And.Contain("stack overflow"));
        Assert.That(worker.Evaluate("new TextEncoder().encode('alive').buffer").Text, Is.EqualTo("alive"));
    }

    [Test]
    public void AnUnhandledRejectionDoesNotFailTheCrank()
    {
        using var worker = SocketWorker.Start("rejection");
        var reply = worker.Evaluate("Promise.reject(Error('nobody listens')); new TextEncoder().encode('ok').buffer");
        Assert.That(reply.Text, Is.EqualTo("ok"));
        worker.Send("q");
        Assert.That(worker.WaitForExit(), Is.Zero);
    }

    [Test]
    public void InvalidUtf8SourceIsASyntaxError()
    {
        using var worker = SocketWorker.Start("bad-utf8");
        worker.Send((byte)'e', [0xff, 0xfe]);
        Assert.That(System.Text.Encoding.UTF8.GetString(worker.ReadMessage()), Does.StartWith("!SyntaxError"));
        Assert.That(worker.CallText("R"), Is.EqualTo("."));
    }

    [Test]
    public void TheXsnapGlobalsAreThere()
    {
        using var worker = SocketWorker.Start("globals");
        var reply = worker.Evaluate("""
            new TextEncoder().encode(JSON.stringify(['issueCommand', 'setImmediate', 'gc', 'currentMeterLimit', 'resetMeter', 'print',
              'TextEncoder', 'TextDecoder', 'WeakRef', 'FinalizationRegistry'].filter(name => typeof globalThis[name] !== 'function'))).buffer
            """);
        Assert.That(reply.Text, Is.EqualTo("[]"), "the globals the supervisor and liveslots need");
    }
}
