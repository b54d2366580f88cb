using Vats.Protocol;
using Vats.QuickJs.Native;
using Vats.Worker.Tests.Support;

namespace Vats.Worker.Tests;

/// <summary>The command line: help, version, and refusals with exit code 1 and the usage.</summary>
[TestFixture]
public sealed class CommandLineTests
{
    [TestCase("-h")]
    [TestCase("--help")]
    public void HelpPrintsTheUsageAndExitsZero(string option)
    {
        var run = WorkerRun.Run(option);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Zero);
            Assert.That(run.Stdout, Does.StartWith("usage: vats-worker"));
            foreach (var documented in new[] { "-l LIMIT", "-r @FD", "--socket PATH", "--boot-cache DIR", "--no-boot-cache", "--memory-limit-mib N" })
                Assert.That(run.Stdout, Does.Contain(documented));
            Assert.That(run.Stderr, Is.Empty);
        });
    }

    [TestCase("-v")]
    [TestCase("--version")]
    public void VersionPrintsTheVersionAndTheEngineAndExitsZero(string option)
    {
        var run = WorkerRun.Run("name", option);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Zero);
            Assert.That(run.Stdout.Trim(), Does.StartWith("vats-worker 0.1.0 (QuickJS "));
            Assert.That(run.Stdout, Does.Contain($"wasm sha256 {QuickJsBinary.Sha256}"));
        });
    }

    [TestCase(new[] { "--frobnicate" }, "unknown option --frobnicate")]
    [TestCase(new[] { "-x" }, "unknown option -x")]
    [TestCase(new[] { "name", "-l" }, "-l needs a value")]
    [TestCase(new[] { "-r" }, "-r needs a snapshot path or @FD")]
    [TestCase(new[] { "--socket" }, "--socket needs a path")]
    [TestCase(new[] { "--boot-cache" }, "--boot-cache needs a folder")]
    [TestCase(new[] { "--memory-limit-mib", "15" }, "--memory-limit-mib needs a whole number from 16 to 2047")]
    [TestCase(new[] { "--memory-limit-mib", "2048" }, "--memory-limit-mib needs a whole number from 16 to 2047")]
    [TestCase(new[] { "--memory-limit-mib", "lots" }, "--memory-limit-mib needs a whole number from 16 to 2047")]
    public void ABadCommandLineExitsOneWithTheProblemAndTheUsage(string[] arguments, string problem)
    {
        var run = WorkerRun.Run(arguments);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.BadUsage));
            Assert.That(run.Stderr, Does.StartWith($"vats-worker: {problem}"));
            Assert.That(run.Stderr, Does.Contain("usage: vats-worker"));
            Assert.That(run.Stdout, Is.Empty);
        });
    }

    [Test]
    public void ASocketThatNobodyListensOnExits2()
    {
        using var folder = new TempFolder();
        var run = WorkerRun.Run("lonely", "--socket", folder.File("nobody.sock"), "--no-boot-cache");
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.IoError));
            Assert.That(run.Stderr, Does.Contain("cannot open the command channel"));
        });
    }

    [Test]
    public void XsnapsCompatibilityOptionsAreAccepted()
    {
        // -i, -p and -s are xsnap-worker's; a parent may pass them, and the worker runs as usual.
        using var worker = SocketWorker.Start("compat", "-i", "1", "-p", "-s", "8192");
        Assert.That(worker.CallText("R"), Is.EqualTo("."));
    }
}
