using System.Text;
using Vats.Protocol;
using Vats.QuickJs.Native;
using Vats.Worker.Tests.Support;

namespace Vats.Worker.Tests;

/// <summary>Socket mode's first message: what the worker says about itself before the parent sends anything.</summary>
[TestFixture]
public sealed class HelloTests
{
    [Test]
    public void TheHelloNamesTheProtocolTheWorkerTheEngineAndTheSnapshotFormat()
    {
        using var worker = SocketWorker.Start("hello");
        var hello = Hello.Parse(worker.HelloJson);
        Assert.Multiple(() =>
        {
            Assert.That(hello.Protocol, Is.EqualTo(1));
            Assert.That(hello.Worker, Is.EqualTo("0.1.0"));
            Assert.That(hello.QuickJsSha256, Is.EqualTo(QuickJsBinary.Sha256));
            Assert.That(hello.SnapshotFormat, Is.EqualTo(WorkerSnapshot.FormatVersion).And.EqualTo(1));
        });
        // The exact bytes: key names and order are the contract a client in any language parses.
        Assert.That(Encoding.UTF8.GetString(worker.HelloJson),
            Is.EqualTo($"{{\"protocol\":1,\"worker\":\"0.1.0\",\"quickjsSha256\":\"{QuickJsBinary.Sha256}\",\"snapshotFormat\":1}}"));
    }

    [Test]
    public void TheQuickJsHashIsLowercaseHexOfSha256()
    {
        using var worker = SocketWorker.Start("hello-hash");
        Assert.That(Hello.Parse(worker.HelloJson).QuickJsSha256, Does.Match("^[0-9a-f]{64}$"));
    }
}
