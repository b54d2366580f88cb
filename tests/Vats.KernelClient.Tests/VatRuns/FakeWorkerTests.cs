using Vats.KernelClient.Tests.Support;
using Vats.QuickJs.Native;

namespace Vats.KernelClient.Tests.VatRuns;

/// <summary>
/// The client against a worker that breaks the protocol (a script standing in for vats-worker): every bad frame is
/// a typed exception, the fake is killed, and the client goes on.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public sealed class FakeWorkerTests
{
    private string _folder = "";

    [OneTimeSetUp]
    public void MakeFolder()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, "node")));
        if (!onPath) Checkout.MissingPrerequisite("node is not on the PATH (Node.js 20 runs the fake worker)");
        _folder = Directory.CreateTempSubdirectory("vats-fake-worker-").FullName;
    }

    [OneTimeTearDown]
    public void RemoveLauncher() => Directory.Delete(_folder, recursive: true);

    [TestCase("malformed", "malformed message")]
    [TestCase("missing-comma", "expected ','")]
    [TestCase("unknown-tag", "type 'Z'")]
    [TestCase("oversized", "exceeds the limit of 12000000 bytes")]
    [TestCase("bad-meter", "meter report")]
    public async Task ABadFrameIsAProtocolErrorAndTheFakeIsKilled(string scenario, string expected)
    {
        await using var worker = await StartAsync(scenario);
        var failure = Assert.ThrowsAsync<WorkerProtocolException>(() => worker.EvaluateAsync("1"));
        Assert.That(failure!.Message, Does.Contain(expected));
        Assert.That(await worker.Exited.WaitAsync(TimeSpan.FromSeconds(30)), Is.Not.Zero);
        Assert.That(worker.IsRunning, Is.False);
    }

    [Test]
    public async Task AWorkerThatExitsMidCommandReportsItsCode()
    {
        await using var worker = await StartAsync("exit-3");
        var failure = Assert.ThrowsAsync<WorkerExitedException>(() => worker.EvaluateAsync("1"));
        Assert.That(failure!.ExitCode, Is.EqualTo(3));
    }

    [TestCase("no-hello", "did not start with a hello")]
    [TestCase("old-protocol", "protocol 99")]
    public void ABadHandshakeIsRefused(string scenario, string expected)
    {
        var failure = Assert.ThrowsAsync<WorkerHandshakeException>(() => StartAsync(scenario));
        Assert.That(failure!.Message, Does.Contain(expected));
    }

    /// <summary>Starts the fake through a launcher that sets its scenario, standing where vats-worker would.</summary>
    private Task<VatWorker> StartAsync(string scenario)
    {
        var script = Path.Combine(TestPaths.TestsDir, "Reference", "fake-worker.mjs");
        var launcher = Path.Combine(_folder, $"fake-{scenario}");
        File.WriteAllText(launcher, $"#!/bin/sh\nFAKE_WORKER_SCENARIO={scenario} FAKE_WORKER_HASH={QuickJsBinary.Sha256} exec node '{script}' \"$@\"\n");
        if (OperatingSystem.IsWindows()) Assert.Ignore("the fake worker's launcher is a shell script");
        else File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return VatWorker.StartAsync(VatTestSupport.Options($"fake-{scenario}") with { WorkerPath = launcher });
    }
}
