using Vats.Worker.Tests.Support;

namespace Vats.Worker.Tests;

/// <summary>The commands <c>R</c>, <c>e</c>, <c>?</c>, <c>s</c> and <c>m</c> and the exact shape of their replies.</summary>
[TestFixture]
public sealed class CommandTests
{
    [Test]
    public void IsReadyRepliesABareDot()
    {
        using var worker = SocketWorker.Start("ready");
        Assert.That(worker.CallText("R"), Is.EqualTo("."));
    }

    [Test]
    public void EvaluateRepliesMeterJsonInXsnapsShapeAndAnEmptyReply()
    {
        using var worker = SocketWorker.Start("evaluate");
        var message = worker.Call("e1+1");
        var reply = OkReply.Parse(message);
        Assert.Multiple(() =>
        {
            Assert.That(reply.MeterKeys, Is.EqualTo(new[] { "currentHeapCount", "compute", "allocate", "timestamps" }));
            // No spaces, integers, and seconds with six decimals: byte for byte what xsnap's fxWriteOkay prints.
            Assert.That(reply.MeterJson, Does.Match(@"^\{""currentHeapCount"":\d+,""compute"":\d+,""allocate"":\d+,""timestamps"":\[\d+\.\d{6},\d+\.\d{6}\]\}$"));
            Assert.That(reply.Compute, Is.Positive);
            Assert.That(reply.CurrentHeapCount, Is.Positive);
            Assert.That(reply.Allocate, Is.Positive);
            Assert.That(reply.Timestamps, Has.Count.EqualTo(2));
            Assert.That(reply.Timestamps[1], Is.GreaterThanOrEqualTo(reply.Timestamps[0]));
            Assert.That(reply.Bytes, Is.Empty);
            Assert.That(message[^1], Is.EqualTo(0x01), "the message ends with the separator when the reply is empty");
        });
    }

    [Test]
    public void EvaluateRunsInTheGlobalScopeAndKeepsState()
    {
        using var worker = SocketWorker.Start("state");
        worker.Evaluate("var counter = 1; globalThis.other = 2;");
        var reply = worker.Evaluate("new TextEncoder().encode(String(counter + other)).buffer");
        Assert.That(reply.Text, Is.EqualTo("3"));
    }

    // xsnap-protocol.md §2.5 item 5: the reply is the value, or its `result` property, when that is an ArrayBuffer;
    // anything else (a string, a typed array, a non-buffer result) gives an empty reply.
    [TestCase("new TextEncoder().encode('plain').buffer", "plain", TestName = "AnArrayBufferValueIsTheReply")]
    [TestCase("({ result: new TextEncoder().encode('report').buffer })", "report", TestName = "AResultPropertyHoldingAnArrayBufferIsTheReply")]
    [TestCase("Object.create({ result: new TextEncoder().encode('inherited').buffer })", "inherited", TestName = "AnInheritedResultPropertyCounts")]
    [TestCase("const report = {}; setImmediate(() => { report.result = new TextEncoder().encode('later').buffer; }); report", "later",
        TestName = "AResultSetInASetImmediateCallbackIsTheReply")]
    [TestCase("const r = {}; Promise.resolve().then(() => { r.result = new TextEncoder().encode('job').buffer; }); r", "job",
        TestName = "AResultSetInAPromiseJobIsTheReply")]
    [TestCase("'a string'", "", TestName = "AStringGivesAnEmptyReply")]
    [TestCase("new Uint8Array([1, 2, 3])", "", TestName = "AUint8ArrayGivesAnEmptyReply")]
    [TestCase("({ result: 'x' })", "", TestName = "AStringResultGivesAnEmptyReply")]
    [TestCase("({ result: new Uint8Array([1, 2]) })", "", TestName = "ATypedArrayResultGivesAnEmptyReply")]
    [TestCase("undefined", "", TestName = "UndefinedGivesAnEmptyReply")]
    [TestCase("({})", "", TestName = "AReportWithoutResultGivesAnEmptyReply")]
    public void TheReplyIdiom(string source, string expected)
    {
        using var worker = SocketWorker.Start("idiom");
        Assert.That(worker.Evaluate(source).Text, Is.EqualTo(expected));
    }

    [Test]
    public void TheReplyCarriesArbitraryBytes()
    {
        using var worker = SocketWorker.Start("bytes");
        var reply = worker.Evaluate("new Uint8Array([0, 1, 44, 58, 255, 46]).buffer");
        Assert.That(reply.Bytes, Is.EqualTo(new byte[] { 0, 1, 44, 58, 255, 46 }));
    }

    [Test]
    public void AnExceptionRepliesItsTextAndTheWorkerContinues()
    {
        using var worker = SocketWorker.Start("throws");
        Assert.That(worker.CallText("ethrow Error(\"boom\")"), Is.EqualTo("!Error: boom"));
        Assert.That(worker.CallText("eundefinedName"), Does.StartWith("!ReferenceError: ").And.Contain("undefinedName"));
        Assert.That(worker.CallText("ethrow 42"), Is.EqualTo("!42"));
        Assert.That(worker.Evaluate("new TextEncoder().encode('alive').buffer").Text, Is.EqualTo("alive"));
        worker.Send("q");
        Assert.That(worker.WaitForExit(), Is.Zero, "a success after the throw clears the error");
    }

    [Test]
    public void ASyntaxErrorIsAnException()
    {
        using var worker = SocketWorker.Start("syntax");
        var reply = worker.CallText("e{");
        Assert.That(reply, Does.StartWith("!SyntaxError"));
        Assert.That(worker.CallText("R"), Is.EqualTo("."));
    }

    [Test]
    public void CommandCallsHandleCommandWithTheBytes()
    {
        using var worker = SocketWorker.Start("command");
        worker.Evaluate("""
            globalThis.handleCommand = message => {
              if (!(message instanceof ArrayBuffer)) throw TypeError('not an ArrayBuffer');
              const bytes = new Uint8Array(message);
              return bytes.map(b => 255 - b).buffer;
            };
            """);
        worker.Send((byte)'?', [0, 1, 2, 44, 58, 255]);
        var reply = OkReply.Parse(worker.ReadMessage());
        Assert.That(reply.Bytes, Is.EqualTo(new byte[] { 255, 254, 253, 211, 197, 0 }));
        Assert.That(reply.MeterKeys, Is.EqualTo(new[] { "currentHeapCount", "compute", "allocate", "timestamps" }));
    }

    [Test]
    public void ACommandWithoutHandleCommandThrows()
    {
        using var worker = SocketWorker.Start("no-handler");
        var reply = worker.CallText("?hello");
        Assert.That(reply, Does.StartWith("!TypeError"));
    }

    [Test]
    public void AnExceptionInHandleCommandRepliesItsText()
    {
        using var worker = SocketWorker.Start("handler-throws");
        worker.Evaluate("globalThis.handleCommand = m => { throw RangeError('bad ' + new TextDecoder().decode(m)); };");
        Assert.That(worker.CallText("?input"), Is.EqualTo("!RangeError: bad input"));
    }

    [Test]
    public void RunScriptFileAndImportModuleFileReplyWithoutBytes()
    {
        using var folder = new TempFolder();
        var script = folder.File("script.js");
        File.WriteAllText(script, "globalThis.fromScript = 7; new ArrayBuffer(3);");
        var module = folder.File("module.js");
        File.WriteAllText(module, "globalThis.fromModule = 8;");
        using var worker = SocketWorker.Start("files");
        var ran = OkReply.Parse(worker.Call("s" + script));
        var imported = OkReply.Parse(worker.Call("m" + module));
        Assert.Multiple(() =>
        {
            Assert.That(ran.Bytes, Is.Empty);
            Assert.That(imported.Bytes, Is.Empty);
            Assert.That(worker.Evaluate("new TextEncoder().encode(`${fromScript},${fromModule}`).buffer").Text, Is.EqualTo("7,8"));
            // A missing file: a bare '!' (xsnap's), and the worker goes on.
            Assert.That(worker.CallText("s" + folder.File("missing.js")), Is.EqualTo("!"));
            Assert.That(worker.CallText("R"), Is.EqualTo("."));
        });
    }
}
