using System.Security.Cryptography;
using Vats.Supervisor;

namespace Vats.Worker.Tests.Support;

/// <summary>
/// A worker booted as a kernel boots one — the real lockdown and supervisor bundles, each an <c>e</c> command — with
/// a boot-image cache, followed by a snapshot, and optionally by work after the boot (a command with an upcall, and
/// another snapshot): everything a parent can observe, to compare a cold boot with one served from the cache.
/// </summary>
internal sealed record BootRun(
    OkReply Lockdown,
    OkReply Supervisor,
    string BootSnapshotSha256,
    string? Upcall,
    OkReply? AfterUpcall,
    string? LaterSnapshotSha256,
    int ExitCode,
    string Stderr)
{
    // Work after the boot: hardened state (lockdown is in force) and an upcall whose answer lands in the heap.
    private const string AfterBoot = """
        globalThis.handleCommand = harden(message => {
          const text = new TextDecoder().decode(message);
          const answer = new TextDecoder().decode(issueCommand(new TextEncoder().encode(
            JSON.stringify([text, Object.isFrozen(Object.prototype), typeof Compartment, typeof harden])).buffer));
          globalThis.answers = [...(globalThis.answers ?? []), answer];
          return new TextEncoder().encode('got ' + answer).buffer;
        });
        """;

    public static string LockdownSource => LockdownBundle.Get().EvaluateSource;

    public static string SupervisorSource => SupervisorBundle.Get().EvaluateSource;

    public static BootRun Run(string name, string cacheFolder, bool workAfterBoot)
    {
        using var worker = SocketWorker.Start(name, "--boot-cache", cacheFolder);
        var lockdown = worker.Evaluate(LockdownSource);
        var supervisor = worker.Evaluate(SupervisorSource);
        var bootSnapshot = Sha256(worker.Snapshot());
        string? upcall = null;
        OkReply? afterUpcall = null;
        string? laterSnapshot = null;
        if (workAfterBoot)
        {
            worker.Evaluate(AfterBoot);
            worker.Send("?after boot");
            upcall = SocketWorker.Show(worker.ReadMessage());
            worker.Send("/the answer");
            afterUpcall = OkReply.Parse(worker.ReadMessage());
            laterSnapshot = Sha256(worker.Snapshot());
        }
        // Quit waits for the cache's background writes.
        worker.Send("q");
        var exitCode = worker.WaitForExit();
        return new BootRun(lockdown, supervisor, bootSnapshot, upcall, afterUpcall, laterSnapshot, exitCode, worker.Stderr);
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
