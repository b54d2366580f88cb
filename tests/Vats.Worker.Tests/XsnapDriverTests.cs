using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using Vats.Protocol;
using Vats.Worker.Tests.Support;

namespace Vats.Worker.Tests;

/// <summary>
/// The real <c>@agoric/xsnap</c> 0.15.0 parent driver (what a SwingSet kernel uses) launching our worker through its
/// <c>spawn</c> option, in xsnap mode: fds 3/4 for messages, 7 and 8 for snapshots. <c>xsnap-driver/drive.mjs</c>
/// runs every check once and prints a JSON summary; each test here asserts on its part.
/// </summary>
[TestFixture]
public sealed class XsnapDriverTests
{
    private JsonElement _checks;

    [OneTimeSetUp]
    public void RunTheDriver()
    {
        var driver = TestPaths.XsnapDriver;
        if (!File.Exists(Path.Combine(driver, "node_modules", "@agoric", "xsnap", "package.json")))
            Checkout.MissingPrerequisite($"{driver}/node_modules is missing: run `bash .ci/setup` (or `npm ci` in {driver})");
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = driver,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("drive.mjs");
        start.ArgumentList.Add(TestPaths.Worker);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception)
        {
            Checkout.MissingPrerequisite("node is not installed: the xsnap driver checks need Node 20 (then run `bash .ci/setup`)");
            throw;
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(SocketWorker.Patience))
            {
                // The driver's workers are its children: they go with it.
                process.Kill(entireProcessTree: true);
                Assert.Fail($"node drive.mjs did not finish within {SocketWorker.Patience}");
            }
            process.WaitForExit();
            Assert.That(process.ExitCode, Is.Zero, $"node drive.mjs failed: {stderr.Result}");
            var lastLine = stdout.Result.TrimEnd().Split('\n')[^1];
            using var summary = JsonDocument.Parse(lastLine);
            _checks = summary.RootElement.GetProperty("checks").Clone();
        }
    }

    [Test]
    public void TheDriverSpawnsTheWorkerWithXsnapsArgumentsAndFileDescriptors()
    {
        var evaluate = Check("evaluate");
        Assert.Multiple(() =>
        {
            Assert.That(evaluate.GetProperty("spawnBin").GetString(), Does.EndWith("/xsnap-worker"), "the driver meant its own binary");
            // The driver's default metering limit, 1e8, comes as -l.
            Assert.That(Strings(evaluate.GetProperty("spawnArgs")), Is.EqualTo(new[] { "v1:evaluate", "-l", "100000000" }));
            Assert.That(Strings(evaluate.GetProperty("stdio")),
                Is.EqualTo(new[] { "ignore", "ignore", "pipe", "pipe", "pipe", "ignore", "ignore", "pipe", "ignore" }));
        });
    }

    [Test]
    public void EvaluateResolvesWithTheReplyAndTheMeterUsage()
    {
        var evaluate = Check("evaluate");
        Assert.Multiple(() =>
        {
            Assert.That(evaluate.GetProperty("plainReplyLength").GetInt32(), Is.Zero);
            Assert.That(evaluate.GetProperty("bufferReply").GetString(), Is.EqualTo("x is 2"));
            Assert.That(evaluate.GetProperty("meterType").GetString(), Is.EqualTo("xs-meter-36"));
            Assert.That(Strings(evaluate.GetProperty("meterKeys")),
                Is.EqualTo(new[] { "meterType", "currentHeapCount", "compute", "allocate", "timestamps" }));
            Assert.That(evaluate.GetProperty("compute").GetInt64(), Is.Positive);
            Assert.That(evaluate.GetProperty("timestamps").GetInt32(), Is.EqualTo(2));
            Assert.That(ExitOf(evaluate), Is.EqualTo(ExitCodes.Success));
        });
    }

    [Test]
    public void IssueCommandRoundTripsThroughTheDriversHandleCommand()
    {
        var upcall = Check("upcall");
        Assert.Multiple(() =>
        {
            Assert.That(upcall.GetProperty("stringReply").GetString(), Is.EqualTo("got:REPLY(up:hello)"));
            Assert.That(upcall.GetProperty("stringTimestamps").GetInt32(), Is.EqualTo(4));
            Assert.That(upcall.GetProperty("bytesReply").GetString(), Is.EqualTo("async:REPLY(later:bytes)"), "the report idiom, set in setImmediate");
            Assert.That(upcall.GetProperty("bytesTimestamps").GetInt32(), Is.EqualTo(4));
            Assert.That(Strings(upcall.GetProperty("upcalls")), Is.EqualTo(new[] { "up:hello", "later:bytes" }));
            Assert.That(ExitOf(upcall), Is.EqualTo(ExitCodes.Success));
        });
    }

    [Test]
    public void ASnapshotStreamStartsANewWorkerWithTheSameState()
    {
        var snapshot = Check("snapshot");
        Assert.Multiple(() =>
        {
            Assert.That(snapshot.GetProperty("snapshotBytes").GetInt32(), Is.GreaterThan(WorkerSnapshot.HeaderSize));
            Assert.That(snapshot.GetProperty("magic").GetString(), Is.EqualTo("VATSWSNP"));
            Assert.That(snapshot.GetProperty("secondSnapshotEqual").GetBoolean(), Is.True, "fd 7 stays open for the next snapshot");
            Assert.That(snapshot.GetProperty("originalReply").GetString(), Is.EqualTo("counter 42"));
            Assert.That(snapshot.GetProperty("restoredReply").GetString(), Is.EqualTo("counter 42"));
            Assert.That(snapshot.GetProperty("nextReply").GetString(), Is.EqualTo("counter 43"));
            Assert.That(Strings(snapshot.GetProperty("restoredArgs")), Is.EqualTo(new[] { "v3:restored", "-r", "@8:v3-1", "-l", "100000000" }));
            Assert.That(snapshot.GetProperty("restoredStdio")[8].GetString(), Is.EqualTo("pipe"), "fd 8 carries the snapshot in");
            Assert.That(snapshot.GetProperty("exits").EnumerateArray().Select(e => e.GetProperty("code").GetInt32()), Is.EqualTo(new[] { 0, 0 }));
        });
    }

    [Test]
    public void SnapshotsThroughTemporaryFilesWorkToo()
    {
        // xsnap's file mode: the snapshot is written to the path in the w command, and read from the path after -r.
        var files = Check("snapshotFiles");
        Assert.Multiple(() =>
        {
            Assert.That(files.GetProperty("magic").GetString(), Is.EqualTo("VATSWSNP"));
            Assert.That(files.GetProperty("restoredReply").GetString(), Is.EqualTo("counter 100"));
            var args = Strings(files.GetProperty("restoredArgs"));
            Assert.That(args[..2], Is.EqualTo(new[] { "v9:files-restored", "-r" }));
            Assert.That(args[2], Does.EndWith(".xss").And.Not.StartWith("@"));
            Assert.That(files.GetProperty("exits").EnumerateArray().Select(e => e.GetProperty("code").GetInt32()), Is.EqualTo(new[] { 0, 0 }));
        });
    }

    [Test]
    public void TheMeteringLimitEndsTheWorkerWithExitCode17()
    {
        var metered = Check("meteringLimit");
        var rejection = metered.GetProperty("rejection");
        Assert.Multiple(() =>
        {
            Assert.That(Strings(metered.GetProperty("spawnArgs")), Is.EqualTo(new[] { "v4:metered", "-l", "100000" }));
            Assert.That(metered.GetProperty("smallCompute").GetInt64(), Is.Positive.And.LessThan(100000));
            Assert.That(rejection.GetProperty("rejected").GetBoolean(), Is.True);
            // What @agoric/xsnap reports: an ExitCode error with code 17 ("too much computation"); SwingSet's vat
            // manager turns code 17 into the delivery error 'Compute meter exceeded'.
            Assert.That(rejection.GetProperty("name").GetString(), Is.EqualTo("ExitCode"));
            Assert.That(rejection.GetProperty("code").GetInt32(), Is.EqualTo(ExitCodes.TooMuchComputation));
            Assert.That(rejection.GetProperty("message").GetString(), Is.EqualTo("v4:metered exited: too much computation"));
            Assert.That(rejection.GetProperty("message").GetString(), Is.EqualTo(metered.GetProperty("expectedMessage").GetString()));
            Assert.That(ExitOf(metered), Is.EqualTo(ExitCodes.TooMuchComputation));
            Assert.That(metered.GetProperty("stderr").GetString(), Does.Contain("compute meter exceeded"));
        });
    }

    [Test]
    public void AThrowingEvaluateRejectsAsTheKernelExpectsAndTheWorkerGoesOn()
    {
        var exception = Check("exception");
        Assert.Multiple(() =>
        {
            Assert.That(exception.GetProperty("thrown").GetProperty("message").GetString(), Is.EqualTo("Uncaught exception in v5:throws: Error: boom"));
            Assert.That(exception.GetProperty("after").GetString(), Is.EqualTo("still here"));
            Assert.That(exception.GetProperty("thrownAgain").GetProperty("message").GetString(), Does.StartWith("Uncaught exception in v5:throws: TypeError"));
            // The last command threw, so close() sees exit code 15, as with xsnap-worker.
            Assert.That(exception.GetProperty("closed").GetProperty("code").GetInt32(), Is.EqualTo(ExitCodes.UnhandledException));
            Assert.That(exception.GetProperty("closed").GetProperty("message").GetString(), Is.EqualTo("v5:throws exited: unhandled exception"));
            Assert.That(ExitOf(exception), Is.EqualTo(ExitCodes.UnhandledException));
        });
    }

    [Test]
    public void AnExceptionEscapingSetImmediateRejectsWithExitCode255()
    {
        var timer = Check("setImmediateThrow");
        Assert.Multiple(() =>
        {
            Assert.That(timer.GetProperty("rejection").GetProperty("name").GetString(), Is.EqualTo("ExitCode"));
            Assert.That(timer.GetProperty("rejection").GetProperty("code").GetInt32(), Is.EqualTo(ExitCodes.UnknownError));
            Assert.That(ExitOf(timer), Is.EqualTo(ExitCodes.UnknownError));
            Assert.That(timer.GetProperty("stderr").GetString(), Does.Contain("late"));
        });
    }

    [Test]
    public void ABadStartSnapshotMakesIsReadyRejectWithExitCode2()
    {
        var bad = Check("badSnapshot");
        Assert.Multiple(() =>
        {
            Assert.That(bad.GetProperty("rejection").GetProperty("code").GetInt32(), Is.EqualTo(ExitCodes.IoError));
            Assert.That(bad.GetProperty("rejection").GetProperty("message").GetString(), Is.EqualTo("v8:bad-snapshot exited: I/O error"));
            Assert.That(ExitOf(bad), Is.EqualTo(ExitCodes.IoError));
            Assert.That(bad.GetProperty("stderr").GetString(), Does.Contain("cannot read snapshot @8:garbage"));
        });
    }

    [Test]
    public void CloseEndsTheWorkerCleanly()
    {
        var close = Check("close");
        Assert.Multiple(() =>
        {
            Assert.That(close.GetProperty("closed").GetProperty("rejected").GetBoolean(), Is.False, "close() resolves on exit 0");
            Assert.That(close.GetProperty("later").GetProperty("message").GetString(), Is.EqualTo("v7:close exited"));
            Assert.That(ExitOf(close), Is.EqualTo(ExitCodes.Success));
        });
    }

    /// <summary>One check's result; fails the test with the driver's error if the check itself failed.</summary>
    private JsonElement Check(string name)
    {
        Assert.That(_checks.TryGetProperty(name, out var check), Is.True, $"the driver reported no check '{name}'");
        Assert.That(check.GetProperty("ok").GetBoolean(), Is.True,
            () => $"check '{name}' failed in the driver: {(check.TryGetProperty("error", out var error) ? error.GetString() : check.ToString())}");
        return check;
    }

    private static int ExitOf(JsonElement check) => check.GetProperty("exit").GetProperty("code").GetInt32();

    private static string?[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString())];
}
