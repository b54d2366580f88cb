using System.Text;
using Vats.Worker.Tests.Support;

namespace Vats.Worker.Tests;

/// <summary>Messages far larger than one socket read, both ways, and many upcalls in one crank.</summary>
[TestFixture]
public sealed class LargeMessageTests
{
    [Test]
    public void AMegabyteReplyArrivesWhole()
    {
        using var worker = SocketWorker.Start("big-reply");
        var reply = worker.Evaluate("const b = new Uint8Array(1 << 20); b[0] = 1; b[b.length - 1] = 2; b[12345] = 3; b.buffer");
        Assert.Multiple(() =>
        {
            Assert.That(reply.Bytes, Has.Length.EqualTo(1 << 20));
            Assert.That(reply.Bytes[0], Is.EqualTo(1));
            Assert.That(reply.Bytes[^1], Is.EqualTo(2));
            Assert.That(reply.Bytes[12345], Is.EqualTo(3));
            Assert.That(reply.Bytes.Count(b => b != 0), Is.EqualTo(3));
        });
    }

    [Test]
    public void AMegabyteCommandAndUpcallArriveWhole()
    {
        using var worker = SocketWorker.Start("big-command");
        worker.Evaluate("""
            globalThis.handleCommand = message => {
              const answer = new Uint8Array(issueCommand(message));
              let sum = 0;
              for (let i = 0; i < answer.length; i += 4096) sum += answer[i];
              return new TextEncoder().encode(`${message.byteLength} ${answer.length} ${sum}`).buffer;
            };
            """);
        var payload = new byte[3 << 20];
        for (var i = 0; i < payload.Length; i += 4096) payload[i] = 1;
        worker.Send((byte)'?', payload);
        var upcall = worker.ReadMessage();
        Assert.That(upcall.AsSpan(1).SequenceEqual(payload), Is.True, "the upcall carries the command's bytes");
        worker.Send((byte)'/', payload);
        Assert.That(OkReply.Parse(worker.ReadMessage()).Text, Is.EqualTo($"{payload.Length} {payload.Length} {payload.Length / 4096}"));
    }

    [Test]
    public void ALargeSourceIsEvaluated()
    {
        using var worker = SocketWorker.Start("big-source");
        var source = new StringBuilder("globalThis.total = 0;\n");
        for (var i = 0; i < 20000; i++) source.Append("total += ").Append(i % 7).Append(";\n");
        source.Append("new TextEncoder().encode(String(total)).buffer");
        Assert.That(worker.Evaluate(source.ToString()).Text, Is.EqualTo(Enumerable.Range(0, 20000).Sum(i => i % 7).ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void TimestampsStopAt502AsXsnaps()
    {
        // 1 + 2 per upcall + 1 would be 602 for 300 upcalls; xsnap keeps the first 502.
        using var worker = SocketWorker.Start("many-upcalls");
        worker.Evaluate("globalThis.handleCommand = () => { for (let i = 0; i < 300; i++) issueCommand(new ArrayBuffer(1)); return new TextEncoder().encode('done').buffer; };");
        worker.Send("?go");
        for (var i = 0; i < 300; i++)
        {
            Assert.That(worker.ReadMessage(), Is.EqualTo(new byte[] { (byte)'?', 0 }));
            worker.Send("/");
        }
        var reply = OkReply.Parse(worker.ReadMessage());
        Assert.That(reply.Text, Is.EqualTo("done"));
        Assert.That(reply.Timestamps, Has.Count.EqualTo(502));
    }
}
