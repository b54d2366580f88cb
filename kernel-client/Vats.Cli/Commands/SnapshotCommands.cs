using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using Vats.KernelClient.Local;
using Vats.Protocol;
using Vats.QuickJs;
using Vats.Wasm.Errors;

namespace Vats.Cli.Commands;

/// <summary>`vats snapshot inspect FILE`: what a checkpoint, worker snapshot or engine snapshot holds.</summary>
internal static class SnapshotCommands
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A checkpoint (vats run --snapshot-out), a worker heap snapshot, or an engine snapshot (vats eval --snapshot-out)" };
        var inspect = new Command("inspect", "Print what a snapshot file holds, after checking its hashes") { file };
        inspect.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            try
            {
                Inspect(File.ReadAllBytes(path.FullName), path.Name);
                return 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or ProtocolException or SnapshotException or JsonException)
            {
                Console.Error.WriteLine($"vats snapshot inspect: {path.Name}: {e.Message}");
                return 1;
            }
        });
        return new Command("snapshot", "Heap snapshots and checkpoints") { inspect };
    }

    private static void Inspect(byte[] bytes, string name)
    {
        Console.WriteLine($"{name}: {bytes.Length:N0} bytes, sha256 {Convert.ToHexStringLower(SHA256.HashData(bytes))}");
        if (VatCheckpoint.IsCheckpoint(bytes))
        {
            var checkpoint = VatCheckpoint.FromBytes(bytes);
            var kernel = MiniKernel.FromState(checkpoint.KernelState);
            Console.WriteLine($"vat checkpoint: vat {kernel.VatId}, {kernel.VatStoreCount} vatstore entries, kernel state {checkpoint.KernelState.Length:N0} bytes{(kernel.Exited ? ", exited" : "")}");
            foreach (var (key, value) in kernel.VatStore.Take(12)) Console.WriteLine($"  {key} = {Truncate(value)}");
            if (kernel.VatStoreCount > 12) Console.WriteLine($"  … {kernel.VatStoreCount - 12} more");
            bytes = checkpoint.WorkerSnapshot;
        }
        var engine = bytes;
        if (bytes.AsSpan().StartsWith("VATSWSNP"u8))
        {
            engine = WorkerSnapshot.Unwrap(bytes).ToArray();
            Console.WriteLine($"worker heap snapshot: format {WorkerSnapshot.FormatVersion}, engine snapshot {engine.Length:N0} bytes");
        }
        var info = QuickJsEngine.DescribeSnapshot(engine);
        var instance = info.Instance;
        Console.WriteLine($"engine snapshot: format {info.FormatVersion}, QuickJS wasm module sha256 {Convert.ToHexStringLower(instance.ModuleSha256)}");
        Console.WriteLine($"  memory: {instance.MemoryPages.Sum(p => (long)p) * 64:N0} KiB in {instance.MemoryPages.Sum(p => (long)p)} pages, {instance.StoredPages.Sum()} of them not all zero (stored); limit {info.MemoryLimitBytes / (1 << 20):N0} MiB");
        Console.WriteLine($"  globals: {instance.Globals}, tables: {string.Join(", ", instance.TableSizes)} entries");
        Console.WriteLine($"  clock: {DateTimeOffset.FromUnixTimeMilliseconds(info.ClockMs):u}, stack limit {info.MaxStackSizeBytes:N0} bytes, fuel limit {(info.MeterLimit is { } l ? l.ToString("N0") : "none")}");
        Console.WriteLine($"  host functions: {info.HostFunctions.Count} ({string.Join(", ", info.HostFunctions.Distinct().Take(10))}), queued setImmediate callbacks: {info.QueuedMacrotasks}");
    }

    private static string Truncate(string text) => text.Length <= 100 ? text : text[..100] + "…";
}
