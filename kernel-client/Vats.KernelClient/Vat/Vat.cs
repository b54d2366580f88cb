using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Vats.KernelClient;

/// <summary>
/// A vat in a worker process, driven as SwingSet's xsnap manager drives it: boot (lockdown and supervisor bundles),
/// <c>setBundle</c> + <c>startVat</c>, then deliveries whose syscalls the caller answers synchronously, and heap
/// snapshots between deliveries. Console lines the supervisor forwards go to the options' logger and console hook.
/// </summary>
public sealed class Vat : IAsyncDisposable
{
    /// <summary>The liveslots options SwingSet sends with <c>setBundle</c>.</summary>
    public const string DefaultLiveSlotsOptions = """{"enableDisavow":false,"relaxDurabilityRules":false}""";

    private static readonly byte[] OkReply = "[\"ok\"]"u8.ToArray();
    private static readonly byte[] TestLogReply = "[\"OK\"]"u8.ToArray();

    private readonly ILogger _logger;
    private readonly Action<VatConsoleLine>? _console;

    private Vat(VatWorker worker, VatWorkerOptions options)
    {
        Worker = worker;
        _logger = options.Logger ?? NullLogger.Instance;
        _console = options.OnConsole;
    }

    /// <summary>The worker process the vat lives in.</summary>
    public VatWorker Worker { get; }

    /// <summary>Starts a worker and boots it: the lockdown bundle, then the supervisor bundle (each one <c>e</c> command).</summary>
    public static async Task<Vat> BootAsync(VatWorkerOptions? options = null, WorkerBundles? bundles = null, CancellationToken cancellationToken = default)
    {
        options ??= new VatWorkerOptions();
        bundles ??= WorkerBundles.Default;
        var worker = await VatWorker.StartAsync(options, cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            await worker.EvaluateAsync(bundles.LockdownSource, cancellationToken).ConfigureAwait(false);
            await worker.EvaluateAsync(bundles.SupervisorSource, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await worker.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new Vat(worker, options);
    }

    /// <summary>Starts a worker from a snapshot <see cref="SnapshotAsync"/> took: the vat continues as if never stopped.</summary>
    public static async Task<Vat> RestoreAsync(ReadOnlyMemory<byte> snapshot, VatWorkerOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (snapshot.IsEmpty) throw new ArgumentException("a snapshot is needed", nameof(snapshot));
        options ??= new VatWorkerOptions();
        var worker = await VatWorker.StartAsync(options, snapshot, cancellationToken).ConfigureAwait(false);
        return new Vat(worker, options);
    }

    /// <summary>
    /// Continues a vat from <paramref name="snapshot"/> in a worker taken from <paramref name="pool"/>. The pool starts
    /// the taken worker's replacement once the snapshot is loaded (with <paramref name="replenish"/>; otherwise the
    /// caller calls <see cref="WorkerPool.Replenish"/>).
    /// </summary>
    public static async Task<Vat> RestoreAsync(ReadOnlyMemory<byte> snapshot, WorkerPool pool, VatWorkerOptions? options = null,
        CancellationToken cancellationToken = default, bool replenish = true)
    {
        if (snapshot.IsEmpty) throw new ArgumentException("a snapshot is needed", nameof(snapshot));
        var worker = await pool.TakeAsync(replenish: false, cancellationToken).ConfigureAwait(false);
        try
        {
            await worker.LoadAsync(snapshot, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await worker.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            if (replenish) pool.Replenish();
        }
        return new Vat(worker, options ?? new VatWorkerOptions());
    }

    /// <summary>
    /// Installs the vat's bundle (<c>setBundle</c>; no syscalls) and delivers <c>startVat</c>, which imports the vat
    /// and runs its <c>buildRootObject</c>. <paramref name="vatBundleJson"/> is the bundle as JSON text
    /// (<c>endoZipBase64</c> normally).
    /// </summary>
    public async Task<VatDeliveryReport> StartVatAsync(string vatId, string vatBundleJson, CapData vatParameters, SyscallHandler syscalls,
        string liveSlotsOptionsJson = DefaultLiveSlotsOptions, CancellationToken cancellationToken = default)
    {
        await SetBundleAsync(vatId, vatBundleJson, syscalls, liveSlotsOptionsJson, cancellationToken).ConfigureAwait(false);
        return await DeliverAsync(new StartVatDelivery(vatParameters), syscalls, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Installs the vat's bundle (<c>setBundle</c>): liveslots is built, the vat is not imported yet (that happens in the
    /// <c>startVat</c> delivery). Makes no syscalls.
    /// </summary>
    public async Task SetBundleAsync(string vatId, string vatBundleJson, SyscallHandler syscalls,
        string liveSlotsOptionsJson = DefaultLiveSlotsOptions, CancellationToken cancellationToken = default)
    {
        var setBundle = new StringBuilder(vatBundleJson.Length + 128)
            .Append("[\"setBundle\",").Append(JsonSerializer.Serialize(vatId)).Append(',')
            .Append(vatBundleJson).Append(',').Append(liveSlotsOptionsJson).Append(']');
        var reply = await Worker.CommandAsync(Encoding.UTF8.GetBytes(setBundle.ToString()), Upcalls(syscalls, []), cancellationToken).ConfigureAwait(false);
        if (!reply.Bytes.AsSpan().SequenceEqual("[\"dispatchReady\"]"u8))
            throw new VatDispatchException($"setBundle of vat {vatId} failed: {Describe(reply.Bytes)}");
    }

    /// <summary>
    /// Delivers <paramref name="delivery"/> and answers each syscall with <paramref name="syscalls"/> (in order, while
    /// the vat waits). If the handler throws, the worker is killed and the exception propagates.
    /// </summary>
    public async Task<VatDeliveryReport> DeliverAsync(VatDeliveryObject delivery, SyscallHandler syscalls, CancellationToken cancellationToken = default)
    {
        var message = Encoding.UTF8.GetBytes($"[\"deliver\",{LiveslotsJson.ToJson(delivery)}]");
        var records = new List<SyscallRecord>();
        var reply = await Worker.CommandAsync(message, Upcalls(syscalls, records), cancellationToken).ConfigureAwait(false);
        VatDeliveryResult result;
        try
        {
            result = LiveslotsJson.ParseDeliveryResult(reply.Bytes);
        }
        catch (LiveslotsFormatException)
        {
            throw new VatDispatchException($"the {delivery.Tag} delivery was refused: {Describe(reply.Bytes)}");
        }
        return new VatDeliveryReport(result, reply.Meter, records);
    }

    /// <summary>Takes a heap snapshot between deliveries (see <see cref="VatWorker.SnapshotAsync"/>).</summary>
    public Task<byte[]> SnapshotAsync(CancellationToken cancellationToken = default) => Worker.SnapshotAsync(cancellationToken);

    /// <summary>Asks the worker to quit and waits for it.</summary>
    public Task<int> StopAsync() => Worker.StopAsync();

    /// <summary>Kills the worker now.</summary>
    public void Kill() => Worker.Kill();

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => Worker.DisposeAsync();

    /// <summary>The upcall handler of one command: syscalls to the caller, console lines to the logger.</summary>
    private Func<byte[], byte[]> Upcalls(SyscallHandler syscalls, List<SyscallRecord> records) => request =>
    {
        using var document = Parse(request);
        var item = document.RootElement;
        var tag = item.ValueKind == JsonValueKind.Array && item.GetArrayLength() > 0 && item[0].ValueKind == JsonValueKind.String ? item[0].GetString() : null;
        switch (tag)
        {
            case "syscall" when item.GetArrayLength() == 2:
                var json = item[1].GetRawText();
                var syscall = LiveslotsJson.ParseSyscall(Encoding.UTF8.GetBytes(json));
                var result = syscalls(syscall);
                records.Add(new SyscallRecord(syscall, json, result));
                return LiveslotsJson.Serialize(result);
            case "sourcedConsole":
                Console(item);
                return OkReply;
            case "testLog":
                _logger.LogInformation("vat {Name} testLog: {Text}", Worker.Name, JoinArguments(item, 1));
                return TestLogReply;
            default:
                // SwingSet's manager throws here too: the delivery fails and the worker is not used again.
                throw new VatWorkerException($"worker {Worker.Name} sent an unknown upcall: {Truncate(Encoding.UTF8.GetString(request))}");
        }
    };

    private void Console(JsonElement item)
    {
        var source = item.GetArrayLength() > 1 ? item[1].ToString() : "";
        var level = item.GetArrayLength() > 2 ? item[2].ToString() : "log";
        var line = new VatConsoleLine(source, level, JoinArguments(item, 3));
        var logLevel = level switch
        {
            "error" => LogLevel.Error,
            "warn" => LogLevel.Warning,
            "debug" => LogLevel.Debug,
            _ => LogLevel.Information,
        };
        _logger.Log(logLevel, "vat {Name} console ({Source}): {Text}", Worker.Name, source, line.Text);
        _console?.Invoke(line);
    }

    private static string JoinArguments(JsonElement item, int from)
    {
        var parts = new List<string>();
        for (var i = from; i < item.GetArrayLength(); i++)
            parts.Add(item[i].ValueKind == JsonValueKind.String ? item[i].GetString()! : item[i].GetRawText());
        return string.Join(' ', parts);
    }

    private JsonDocument Parse(byte[] request)
    {
        try
        {
            return JsonDocument.Parse(request);
        }
        catch (JsonException e)
        {
            throw new VatWorkerException($"worker {Worker.Name} sent an upcall that is not JSON: {e.Message}");
        }
    }

    private static string Describe(byte[] reply) => reply.Length == 0 ? "(an empty reply)" : Truncate(Encoding.UTF8.GetString(reply));

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
