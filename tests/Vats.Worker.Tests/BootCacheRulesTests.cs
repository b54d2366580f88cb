using Vats.Protocol;
using Vats.Worker.Tests.Support;

namespace Vats.Worker.Tests;

/// <summary>
/// Which states the boot-image cache memoizes, where it lives, and what a hit replays, on small sources: only a fresh
/// worker's run of <c>e</c> commands that made no upcall and did not throw; <c>--boot-cache</c>, else
/// <c>VATS_BOOT_CACHE</c>; nothing with <c>--no-boot-cache</c> or <c>VATS_BOOT_CACHE=off</c>.
/// </summary>
[TestFixture]
public sealed class BootCacheRulesTests
{
    [Test]
    public void NoBootCacheWritesNothing()
    {
        using var cache = new TempFolder();
        using var home = new TempFolder();
        // Everything that could name a cache names a test folder; --no-boot-cache wins over all of them.
        var environment = new Dictionary<string, string>
        {
            ["VATS_BOOT_CACHE"] = cache.Path,
            ["XDG_CACHE_HOME"] = home.Path,
            ["HOME"] = home.Path,
        };
        using (var worker = SocketWorker.Start("uncached", environment, "--no-boot-cache"))
        {
            worker.Evaluate("globalThis.booted = 1;");
            worker.Evaluate("globalThis.booted += 1;");
            worker.Send("q");
            Assert.That(worker.WaitForExit(), Is.Zero);
        }
        Assert.That(Directory.GetFileSystemEntries(cache.Path), Is.Empty);
        Assert.That(Directory.GetFileSystemEntries(home.Path, "*", SearchOption.AllDirectories), Is.Empty);
    }

    [Test]
    public void TheEnvironmentNamesTheCacheWhenNoOptionDoes()
    {
        // The counterpart of NoBootCacheWritesNothing: the same commands are stored when a cache is named.
        using var cache = new TempFolder();
        using (var worker = SocketWorker.Start("env-cached", new Dictionary<string, string> { ["VATS_BOOT_CACHE"] = cache.Path }))
        {
            worker.Evaluate("globalThis.booted = 1;");
            worker.Send("q");
            Assert.That(worker.WaitForExit(), Is.Zero);
        }
        Assert.That(BootCacheFolder.Entries(cache.Path), Has.Count.EqualTo(1));
    }

    [Test]
    public void VatsBootCacheOffWritesNothing()
    {
        using var home = new TempFolder();
        var environment = new Dictionary<string, string> { ["VATS_BOOT_CACHE"] = "off", ["XDG_CACHE_HOME"] = home.Path, ["HOME"] = home.Path };
        using (var worker = SocketWorker.Start("cache-off", environment))
        {
            worker.Evaluate("globalThis.booted = 1;");
            worker.Send("q");
            Assert.That(worker.WaitForExit(), Is.Zero);
        }
        Assert.That(Directory.GetFileSystemEntries(home.Path, "*", SearchOption.AllDirectories), Is.Empty);
    }

    [Test]
    public void AnUpcallEndsTheBoot()
    {
        // The answer to an upcall is an input the cache key does not cover: no state after it may be memoized.
        using var cache = new TempFolder();
        using (var worker = SocketWorker.Start("upcall-in-boot", "--boot-cache", cache.Path))
        {
            worker.Evaluate("globalThis.a = 1;");
            Assert.That(worker.CallText("eissueCommand(new ArrayBuffer(1)); globalThis.b = 2;"), Does.StartWith("?"));
            worker.Send("/x");
            OkReply.Parse(worker.ReadMessage());
            worker.Evaluate("globalThis.c = 3;");
            worker.Send("q");
            Assert.That(worker.WaitForExit(), Is.Zero);
        }
        Assert.That(BootCacheFolder.Entries(cache.Path), Has.Count.EqualTo(1), "only the state after the first command");
    }

    [Test]
    public void AHitPrintsWhatEvaluatingPrinted()
    {
        using var cache = new TempFolder();
        string[] BootAndPrint(string name)
        {
            using var worker = SocketWorker.Start(name, "--boot-cache", cache.Path);
            worker.Evaluate("print('booting ' + 6 * 7); globalThis.booted = true;");
            worker.Send("q");
            Assert.That(worker.WaitForExit(), Is.Zero);
            return worker.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
        var cold = BootAndPrint("print-cold");
        using var side = new TempFolder();
        var link = BootCacheFolder.Watch(BootCacheFolder.Entries(cache.Path).Single().Path, side.Path);
        var warm = BootAndPrint("print-warm");
        Assert.Multiple(() =>
        {
            Assert.That(BootCacheFolder.WasHit(link), Is.True);
            Assert.That(cold, Is.EqualTo(new[] { "booting 42" }));
            Assert.That(warm, Is.EqualTo(cold));
        });
    }

    [Test]
    public void ACommandThatThrowsEndsTheBoot()
    {
        using var cache = new TempFolder();
        using (var worker = SocketWorker.Start("throw-in-boot", "--boot-cache", cache.Path))
        {
            worker.Evaluate("globalThis.a = 1;");
            Assert.That(worker.CallText("ethrow Error('no')"), Is.EqualTo("!Error: no"));
            worker.Evaluate("globalThis.b = 2;");
            worker.Send("q");
            Assert.That(worker.WaitForExit(), Is.Zero);
        }
        Assert.That(BootCacheFolder.Entries(cache.Path), Has.Count.EqualTo(1), "only the state after the first command");
    }

    [Test]
    public void AWorkerStartedFromASnapshotStoresNothing()
    {
        // Its state is the snapshot's, which the cache key does not cover.
        using var cache = new TempFolder();
        using var folder = new TempFolder();
        var path = folder.File("start.snapshot");
        byte[] snapshot;
        using (var source = SocketWorker.Start("source"))
            snapshot = source.Snapshot();
        File.WriteAllBytes(path, snapshot);
        using (var worker = SocketWorker.Start("from-file", "-r", path, "--boot-cache", cache.Path))
        {
            worker.Evaluate("globalThis.a = 1;");
            worker.Send("q");
            Assert.That(worker.WaitForExit(), Is.Zero);
        }
        using (var worker = SocketWorker.Start("from-load", "--boot-cache", cache.Path))
        {
            worker.Send(Tags.LoadSnapshot, snapshot);
            Assert.That(worker.ReadMessage(), Is.EqualTo("."u8.ToArray()));
            worker.Evaluate("globalThis.a = 1;");
            worker.Send("q");
            Assert.That(worker.WaitForExit(), Is.Zero);
        }
        Assert.That(Directory.GetFileSystemEntries(cache.Path), Is.Empty);
    }
}
