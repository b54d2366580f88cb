using System.Text;
using Vats.Protocol;
using Vats.Worker.Tests.Support;

namespace Vats.Worker.Tests;

/// <summary>
/// Input that breaks the framing or the message rules: the worker says what was wrong on stderr and exits 2
/// (xsnap's I/O error), sending nothing more.
/// </summary>
[TestFixture]
public sealed class BadInputTests
{
    [TestCase("abc:", "expected a digit or ':'", TestName = "ALengthPrefixThatIsNotANumber")]
    [TestCase("1234567890:", "more than 9 digits", TestName = "ALengthPrefixWithTenDigits")]
    [TestCase("4:e1+1;", "expected ','", TestName = "AMissingTrailingComma")]
    [TestCase(":e,", "length prefix is empty", TestName = "AnEmptyLengthPrefix")]
    [TestCase(" 1:R,", "expected a digit or ':'", TestName = "ALeadingSpace")]
    [TestCase("1:x,", "Unexpected prefix 'x'", TestName = "AnUnknownCommandByte")]
    [TestCase("4:/abc,", "Unexpected prefix '/'", TestName = "AnUpcallAnswerSentAsACommand")]
    [TestCase("1:.,", "Unexpected prefix '.'", TestName = "AReplyTagSentAsACommand")]
    [TestCase("1:!,", "Unexpected prefix '!'", TestName = "AnErrorTagSentAsACommand")]
    [TestCase("1:S,", "Unexpected prefix 'S'", TestName = "ASnapshotDataTagSentAsACommand")]
    [TestCase("0:,", "empty message", TestName = "AnEmptyMessage")]
    [TestCase("5:e1+1", "ended inside a message", TestName = "TheInputEndingInsideAMessage")]
    [TestCase("12", "ended inside a message", TestName = "TheInputEndingInsideALengthPrefix")]
    public void BadFramingExits2(string input, string problem)
    {
        using var worker = SocketWorker.Start("bad-framing");
        worker.SendRaw(Encoding.Latin1.GetBytes(input));
        worker.EndInput();
        AssertRefused(worker, problem);
    }

    [Test]
    public void BadFramingAfterGoodCommandsExits2()
    {
        using var worker = SocketWorker.Start("bad-later");
        Assert.That(worker.CallText("R"), Is.EqualTo("."));
        worker.Evaluate("1");
        // A message without its length prefix, after "1:R," and "2:e1,".
        worker.SendRaw("R,"u8);
        AssertRefused(worker, "found 'R' (at byte 9 of the stream)");
    }

    [Test]
    public void AnUnknownByteThatIsNotPrintableIsNamedInHex()
    {
        using var worker = SocketWorker.Start("bad-byte");
        worker.Send(0x07);
        AssertRefused(worker, "0x07");
    }

    [Test]
    public void LoadingASnapshotAfterAnotherCommandExits2()
    {
        byte[] snapshot;
        using (var source = SocketWorker.Start("source"))
            snapshot = source.Snapshot();
        using var worker = SocketWorker.Start("load-late", "--no-boot-cache");
        worker.Evaluate("1");
        worker.Send(Tags.LoadSnapshot, snapshot);
        AssertRefused(worker, "only be loaded before any other command used the engine");
    }

    [Test]
    public void IsReadyBeforeLoadingIsFine()
    {
        byte[] snapshot;
        using (var source = SocketWorker.Start("ready-source"))
        {
            source.Evaluate("globalThis.mark = 'kept';");
            snapshot = source.Snapshot();
        }
        using var worker = SocketWorker.Start("ready-then-load");
        Assert.That(worker.CallText("R"), Is.EqualTo("."));
        worker.Send(Tags.LoadSnapshot, snapshot);
        Assert.That(SocketWorker.Show(worker.ReadMessage()), Is.EqualTo("."));
        Assert.That(worker.Evaluate("new TextEncoder().encode(mark).buffer").Text, Is.EqualTo("kept"));
    }

    [Test]
    public void GarbageInALoadExits2()
    {
        using var worker = SocketWorker.Start("load-garbage");
        worker.Send("Lthis is not a snapshot at all, just some text");
        AssertRefused(worker, "cannot read snapshot", "not a Vats worker snapshot");
    }

    [Test]
    public void ALoadWhoseHeaderAnnouncesMoreBytesThanFollowExits2()
    {
        byte[] snapshot;
        using (var source = SocketWorker.Start("source"))
            snapshot = source.Snapshot();
        using var worker = SocketWorker.Start("load-short");
        worker.Send(Tags.LoadSnapshot, snapshot.AsSpan(0, snapshot.Length - 1));
        AssertRefused(worker, "cannot read snapshot", $"announces {snapshot.Length - 20} bytes but {snapshot.Length - 21} follow");
    }

    [Test]
    public void ASnapshotWithACorruptedEngineBodyIsRefused()
    {
        byte[] snapshot;
        using (var source = SocketWorker.Start("source"))
        {
            source.Evaluate("globalThis.data = Array.from({ length: 100 }, (_, i) => 'value ' + i);");
            snapshot = source.Snapshot();
        }
        // One flipped bit in the middle of the engine snapshot: the header is fine, the body's own hash is not.
        snapshot[WorkerSnapshot.HeaderSize + (snapshot.Length - WorkerSnapshot.HeaderSize) / 2] ^= 0x01;
        using var worker = SocketWorker.Start("load-corrupt");
        worker.Send(Tags.LoadSnapshot, snapshot);
        AssertRefused(worker, "cannot read snapshot", "checksum mismatch");
    }

    [Test]
    public void AStartSnapshotFileOfGarbageExits2()
    {
        using var folder = new TempFolder();
        var path = folder.File("garbage.snapshot");
        File.WriteAllBytes(path, Encoding.ASCII.GetBytes(new string('x', 4096)));
        using var worker = SocketWorker.Start("start-garbage", "-r", path);
        AssertRefused(worker, $"cannot read snapshot {path}", "not a Vats worker snapshot");
    }

    [Test]
    public void AMissingStartSnapshotFileExits2()
    {
        using var folder = new TempFolder();
        var path = folder.File("missing.snapshot");
        using var worker = SocketWorker.Start("start-missing", "-r", path);
        AssertRefused(worker, $"cannot read snapshot {path}");
    }

    [Test]
    public void AStartSnapshotFileWorks()
    {
        // The counterpart of the refusals above: a good file (the bytes of an S message) is loaded.
        using var folder = new TempFolder();
        var path = folder.File("good.snapshot");
        using (var source = SocketWorker.Start("source"))
        {
            source.Evaluate("globalThis.marker = 'from the file';");
            File.WriteAllBytes(path, source.Snapshot());
        }
        using var worker = SocketWorker.Start("start-file", "-r", path);
        Assert.That(worker.CallText("R"), Is.EqualTo("."));
        Assert.That(worker.Evaluate("new TextEncoder().encode(marker).buffer").Text, Is.EqualTo("from the file"));
    }

    [Test]
    public void TheParentClosingTheConnectionDuringAnUpcallExits2()
    {
        using var worker = SocketWorker.Start("orphan");
        worker.Evaluate("globalThis.handleCommand = m => issueCommand(m);");
        Assert.That(worker.CallText("?are you there"), Is.EqualTo("?are you there"));
        worker.CloseConnection();
        Assert.That(worker.WaitForExit(), Is.EqualTo(ExitCodes.IoError));
        Assert.That(worker.Stderr, Does.Contain("upcall"));
    }

    [Test]
    public void TheParentEndingInputDuringAnUpcallExits2WithoutAReply()
    {
        using var worker = SocketWorker.Start("half-closed");
        worker.Evaluate("globalThis.handleCommand = m => issueCommand(m);");
        Assert.That(worker.CallText("?hello"), Is.EqualTo("?hello"));
        worker.EndInput();
        Assert.That(worker.ReadToEnd(), Is.Empty);
        Assert.That(worker.WaitForExit(), Is.EqualTo(ExitCodes.IoError));
        Assert.That(worker.Stderr, Does.Contain("closed the command stream while an upcall waited"));
    }

    /// <summary>The worker sends nothing more, exits 2, and its stderr names <paramref name="problem"/>.</summary>
    private static void AssertRefused(SocketWorker worker, params string[] problem)
    {
        // Had the worker accepted the input, the end of input makes it exit 0 now rather than wait.
        worker.EndInput();
        var rest = worker.ReadToEnd();
        Assert.Multiple(() =>
        {
            Assert.That(rest.Select(SocketWorker.Show), Is.Empty, "no reply to bad input");
            Assert.That(worker.WaitForExit(), Is.EqualTo(ExitCodes.IoError));
            foreach (var words in problem) Assert.That(worker.Stderr, Does.Contain(words));
        });
    }
}
