using System.Text;
using Vats.Worker.Tests.Support;

namespace Vats.Worker.Tests;

/// <summary>
/// <c>issueCommand</c>: inside a command the worker sends <c>?</c> + bytes and blocks until the parent answers with
/// <c>/</c> + bytes, which JavaScript gets back as an ArrayBuffer.
/// </summary>
[TestFixture]
public sealed class UpcallTests
{
    // handleCommand makes one upcall with 'up:' + its input and replies 'got:' + the answer.
    private const string Relay = """
        globalThis.handleCommand = message => {
          const text = new TextDecoder().decode(message);
          let answer;
          try {
            answer = new TextDecoder().decode(issueCommand(new TextEncoder().encode('up:' + text).buffer));
          } catch (e) {
            answer = 'caught ' + String(e);
          }
          return new TextEncoder().encode('got:' + answer).buffer;
        };
        """;

    [Test]
    public void AnUpcallRoundTrips()
    {
        using var worker = SocketWorker.Start("upcall");
        worker.Evaluate(Relay);
        Assert.That(worker.CallText("?hello"), Is.EqualTo("?up:hello"));
        worker.Send("/REPLY");
        var reply = OkReply.Parse(worker.ReadMessage());
        Assert.Multiple(() =>
        {
            Assert.That(reply.Text, Is.EqualTo("got:REPLY"));
            // One when the command was read, two around the upcall, one before the reply.
            Assert.That(reply.Timestamps, Has.Count.EqualTo(4));
            Assert.That(reply.Timestamps, Is.Ordered);
        });
    }

    [Test]
    public void UpcallBytesAreArbitrary()
    {
        using var worker = SocketWorker.Start("upcall-bytes");
        worker.Evaluate("""
            globalThis.handleCommand = message => {
              const answer = new Uint8Array(issueCommand(message));
              return answer.map(b => b ^ 0xff).buffer;
            };
            """);
        worker.Send((byte)'?', [0, 44, 58, 255]);
        Assert.That(worker.ReadMessage(), Is.EqualTo(new byte[] { (byte)'?', 0, 44, 58, 255 }));
        worker.Send((byte)'/', [1, 2, 0, 255]);
        Assert.That(OkReply.Parse(worker.ReadMessage()).Bytes, Is.EqualTo(new byte[] { 254, 253, 255, 0 }));
    }

    [Test]
    public void AnEmptyUpcallAnswerIsAnEmptyArrayBuffer()
    {
        using var worker = SocketWorker.Start("upcall-empty");
        worker.Evaluate("globalThis.handleCommand = m => new TextEncoder().encode('length ' + issueCommand(m).byteLength).buffer;");
        Assert.That(worker.CallText("?x"), Is.EqualTo("?x"));
        worker.Send("/");
        Assert.That(OkReply.Parse(worker.ReadMessage()).Text, Is.EqualTo("length 0"));
    }

    [Test]
    public void SeveralUpcallsInOneCommandIncludingFromPromiseJobsAndSetImmediate()
    {
        using var worker = SocketWorker.Start("upcalls");
        worker.Evaluate("""
            globalThis.handleCommand = () => {
              const ask = s => new TextDecoder().decode(issueCommand(new TextEncoder().encode(s).buffer));
              const report = {};
              const answers = [ask('sync')];
              Promise.resolve().then(() => answers.push(ask('job')));
              setImmediate(() => {
                answers.push(ask('immediate'));
                report.result = new TextEncoder().encode(answers.join(',')).buffer;
              });
              return report;
            };
            """);
        worker.Send("?go");
        foreach (var expected in new[] { "sync", "job", "immediate" })
        {
            Assert.That(Encoding.UTF8.GetString(worker.ReadMessage()), Is.EqualTo("?" + expected));
            worker.Send("/" + expected.ToUpperInvariant());
        }
        var reply = OkReply.Parse(worker.ReadMessage());
        Assert.That(reply.Text, Is.EqualTo("SYNC,JOB,IMMEDIATE"));
        Assert.That(reply.Timestamps, Has.Count.EqualTo(2 + 2 * 3));
    }

    [Test]
    public void AnUpcallFromEvaluateWorksToo()
    {
        using var worker = SocketWorker.Start("upcall-eval");
        Assert.That(worker.CallText("enew TextDecoder().decode(issueCommand(new TextEncoder().encode('from e').buffer))"), Is.EqualTo("?from e"));
        worker.Send("/answer");
        Assert.That(OkReply.Parse(worker.ReadMessage()).Bytes, Is.Empty, "a string value gives an empty reply");
    }

    [TestCase("xREPLY", TestName = "AnAnswerNotStartingWithSlashIsAnErrorInJavaScript")]
    [TestCase(".REPLY", TestName = "AnAnswerStartingWithADotIsAnErrorInJavaScript")]
    [TestCase("eREPLY", TestName = "ACommandInsteadOfAnAnswerIsAnErrorInJavaScript")]
    public void AnAnswerThatIsNotAnUpcallReply(string answer)
    {
        using var worker = SocketWorker.Start("bad-answer");
        worker.Evaluate(Relay);
        Assert.That(worker.CallText("?hello"), Is.EqualTo("?up:hello"));
        worker.Send(answer);
        Assert.That(OkReply.Parse(worker.ReadMessage()).Text, Is.EqualTo("got:caught Error: Received unexpected command reply."));
        // The worker is still in step: the next command works.
        Assert.That(worker.CallText("R"), Is.EqualTo("."));
    }

    [Test]
    public void AnUncaughtBadAnswerFailsTheCommand()
    {
        using var worker = SocketWorker.Start("bad-answer-uncaught");
        worker.Evaluate("globalThis.handleCommand = m => issueCommand(m);");
        Assert.That(worker.CallText("?x"), Is.EqualTo("?x"));
        worker.Send("!nope");
        Assert.That(Encoding.UTF8.GetString(worker.ReadMessage()), Is.EqualTo("!Error: Received unexpected command reply."));
    }
}
